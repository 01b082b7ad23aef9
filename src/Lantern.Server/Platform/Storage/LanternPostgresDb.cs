using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Lantern.Server.Platform.Storage;

/// <summary>LanternDb on PostgreSQL: its own migrations live in Platform/Storage/Migrations/Postgres.</summary>
public sealed class LanternPostgresDb(DbContextOptions<LanternPostgresDb> options) : LanternDb(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Search keys compare byte by byte, as on SQLite: prefix ranges and result order then mean the same on
        // both providers, whatever locale the database was created with.
        builder.Entity<Lantern.Server.Patients.Patient>(patient =>
        {
            // Room on each page for a changed row's new version: a PAS feed updates demographics all day, and a new
            // version that fits beside the old one needs no new entry in any of the table's eight indexes (a HOT
            // update). Packed full, nearly every update went elsewhere and MRN look-ups walked the dead versions: HL7
            // A31 updates measured 650 msg/s with 7% of updates HOT. Applies to pages written from now on.
            patient.HasStorageParameter("fillfactor", 80);
            patient.Property(p => p.FamilyNameKey).UseCollation("C");
            patient.Property(p => p.FamilyNameSound).UseCollation("C");
            patient.Property(p => p.GivenNameKey).UseCollation("C");
            patient.Property(p => p.Postcode).UseCollation("C");
            patient.Property(p => p.Mrn).UseCollation("C");
            patient.OwnsMany(p => p.PreviousNames, names =>
            {
                names.Property(n => n.FamilyNameKey).UseCollation("C");
                names.Property(n => n.FamilyNameSound).UseCollation("C");
            });
        });
    }
}

/// <summary>Used only by `dotnet ef migrations add --context LanternPostgresDb` (no server is contacted).</summary>
public sealed class LanternPostgresDesignFactory : IDesignTimeDbContextFactory<LanternPostgresDb>
{
    public LanternPostgresDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LanternPostgresDb>().UseNpgsql("Host=localhost;Database=lantern_design").Options);
}
