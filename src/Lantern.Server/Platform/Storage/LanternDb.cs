using Lantern.Server.Organisation;
using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// The one database of the EPR. Each module adds its tables here through its own model class.
/// Abstract because each provider has a subclass with its own migrations (see LanternSqliteDb, LanternPostgresDb).
/// </summary>
public abstract class LanternDb(DbContextOptions options) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    /// <summary>Cookie and token keys, shared by every server node and kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Site> Sites => Set<Site>();
    public DbSet<Specialty> Specialties => Set<Specialty>();
    public DbSet<Ward> Wards => Set<Ward>();
    public DbSet<Bay> Bays => Set<Bay>();
    public DbSet<Bed> Beds => Set<Bed>();
    public DbSet<Consultant> Consultants => Set<Consultant>();
    public DbSet<ClinicalTeam> ClinicalTeams => Set<ClinicalTeam>();
    public DbSet<Clinic> Clinics => Set<Clinic>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        StaffModel.Configure(builder);
        OrganisationModel.Configure(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Codes read better in the database and survive reordering of enum members.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}
