using Lantern.Server.Audit;
using Lantern.Server.Inpatients;
using Lantern.Server.Patients;
using Lantern.Server.Security;
using Lantern.Server.Security.BreakGlass;
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
public abstract partial class LanternDb(DbContextOptions options) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
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

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<BreakGlassAccess> BreakGlassAccesses => Set<BreakGlassAccess>();
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<Lantern.Server.Patients.Merging.PatientMerge> PatientMerges => Set<Lantern.Server.Patients.Merging.PatientMerge>();
    public DbSet<Spell> Spells => Set<Spell>();
    public DbSet<Lantern.Server.Inpatients.Expected.ExpectedAdmission> ExpectedAdmissions => Set<Lantern.Server.Inpatients.Expected.ExpectedAdmission>();
    public DbSet<Lantern.Server.Interop.Fhir.Store.StoredResource> FhirResources => Set<Lantern.Server.Interop.Fhir.Store.StoredResource>();
    public DbSet<Lantern.Server.Interop.Fhir.Store.StoredResourceVersion> FhirResourceHistory => Set<Lantern.Server.Interop.Fhir.Store.StoredResourceVersion>();
    public DbSet<Lantern.Server.Platform.Messaging.OutboxMessage> Outbox => Set<Lantern.Server.Platform.Messaging.OutboxMessage>();
    public DbSet<Lantern.Server.OrdersResults.ResultObservation> Results => Set<Lantern.Server.OrdersResults.ResultObservation>();
    public DbSet<Lantern.Server.Interop.Hl7v2.Outbound.OutboundMessage> OutboundMessages => Set<Lantern.Server.Interop.Hl7v2.Outbound.OutboundMessage>();
    public DbSet<Lantern.Server.Interop.Hl7v2.Inbound.InboundMessage> InboundMessages => Set<Lantern.Server.Interop.Hl7v2.Inbound.InboundMessage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        StaffModel.Configure(builder);
        OrganisationModel.Configure(builder);
        AuditModel.Configure(builder);
        SecurityModel.Configure(builder);
        PatientModel.Configure(builder);
        InpatientsModel.Configure(builder);
        Lantern.Server.Interop.Fhir.Store.FhirStoreModel.Configure(builder);
        Lantern.Server.Interop.Hl7v2.Hl7v2Model.Configure(builder);
        Lantern.Server.OrdersResults.ResultsModel.Configure(builder);
        builder.UseOpenIddict(); // registered systems (OAuth clients) and their tokens
    }

    /// <summary>
    /// The audit trail is append-only in the application: no code path may change or remove an entry. Changes are
    /// detected once, for the check, and the save then goes on without detecting them again (a full pass over every
    /// tracked entity: it showed as a tenth of an HL7 update's save).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        using var detected = DetectChangesOnce();
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        using var detected = DetectChangesOnce();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>Detects changes, refuses any to audit entries, and turns automatic detection off until disposed.</summary>
    private ChangesDetected DetectChangesOnce()
    {
        var automatic = ChangeTracker.AutoDetectChangesEnabled;
        if (automatic)
        {
            ChangeTracker.DetectChanges();
            ChangeTracker.AutoDetectChangesEnabled = false;
        }
        var detected = new ChangesDetected(ChangeTracker, automatic);
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            detected.Dispose();
            throw new InvalidOperationException("Audit entries cannot be changed or deleted.");
        }
        return detected;
    }

    private readonly struct ChangesDetected(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker, bool automatic) : IDisposable
    {
        public void Dispose() => tracker.AutoDetectChangesEnabled = automatic;
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Codes read better in the database and survive reordering of enum members.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}
