using Lantern.Server.Audit;
using Lantern.Server.Patients;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.Relationships;

namespace Lantern.Server.Security;

public enum PatientAccessLevel
{
    /// <summary>No such patient, or a sensitive record this person may not know exists.</summary>
    NotFound,

    /// <summary>An administrative role: banner and demographics, no clinical content.</summary>
    DemographicsOnly,

    /// <summary>A clinical role with a legitimate relationship (or unexpired break-glass).</summary>
    ClinicalRecord,

    /// <summary>A clinical role without a relationship: they may break the glass.</summary>
    NeedsBreakGlass,

    /// <summary>This registration was merged into another (the survivor): go there instead.</summary>
    Merged,
}

public sealed record PatientAccessDecision(PatientAccessLevel Level, Patient? Patient, LegitimateRelationship? Relationship);

/// <summary>
/// Which patients a member of staff may see in searches and lists: sensitive records only when <paramref name="Sensitive"/>,
/// and only patient <paramref name="Only"/> when set (an app confined to its launch patient). A compiled query applies
/// it as <c>(sensitive || !p.IsSensitive) &amp;&amp; (only == null || p.Id == only)</c>.
/// </summary>
public readonly record struct PatientVisibility(bool Sensitive, Guid? Only);

/// <summary>
/// The one gate to a patient's record: sensitivity, role and legitimate relationship (and, for an app launched on
/// a patient with patient/ scopes, that patient only), decided on the server
/// and written to the audit trail whatever the outcome.
/// </summary>
public sealed class PatientAccess(
    LanternDb db,
    CurrentStaff staff,
    IEnumerable<ILegitimateRelationshipSource> sources,
    AuditTrail audit,
    TimeProvider clock)
{
    public const string RecordType = "Patient";

    public async Task<PatientAccessDecision> OpenAsync(Guid patientId, CancellationToken cancel = default)
    {
        var (gate, patient) = await GateAsync(patientId, cancel);
        if (gate is not null)
        {
            return gate;
        }
        if (!staff.Can(Activity.ViewClinicalRecord))
        {
            await Audit(patientId, AuditOutcome.Success, "Demographics only (role)", cancel);
            return new(PatientAccessLevel.DemographicsOnly, patient, null);
        }
        var user = await staff.GetUserAsync() ?? throw new InvalidOperationException("No signed-in member of staff");
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var source in sources)
        {
            if (await source.FindAsync(user, patientId, now, cancel) is { } relationship)
            {
                await Audit(patientId, AuditOutcome.Success, relationship.AuditReason, cancel);
                return new(PatientAccessLevel.ClinicalRecord, patient, relationship);
            }
        }
        await Audit(patientId, AuditOutcome.Denied, "No legitimate relationship", cancel);
        return new(PatientAccessLevel.NeedsBreakGlass, patient, null);
    }

    /// <summary>
    /// Opens only the demographics (banner, registration details), which every role that may find patients may
    /// see without a relationship: for registration, correction and merging. Sensitivity still applies; audited.
    /// </summary>
    public async Task<PatientAccessDecision> OpenDemographicsAsync(Guid patientId, CancellationToken cancel = default)
    {
        var (gate, patient) = await GateAsync(patientId, cancel);
        if (gate is not null)
        {
            return gate;
        }
        await Audit(patientId, AuditOutcome.Success, "Demographics", cancel);
        return new(PatientAccessLevel.DemographicsOnly, patient, null);
    }

    /// <summary>
    /// For a registered system with an access token (its SMART scopes already checked): the clinical record,
    /// with no care relationship (systems have none), but never a sealed record. Audited like any opening.
    /// </summary>
    public async Task<PatientAccessDecision> OpenForSystemAsync(Guid patientId, CancellationToken cancel = default)
    {
        var (gate, patient) = await GateAsync(patientId, cancel);
        if (gate is not null)
        {
            return gate;
        }
        await Audit(patientId, AuditOutcome.Success, "Registered system (SMART scopes)", cancel);
        return new(PatientAccessLevel.ClinicalRecord, patient, null);
    }

    /// <summary>
    /// Patients this member of staff may see in searches and lists: sensitive records only with permission, and
    /// only the launch patient for an app confined to it.
    /// </summary>
    public async Task<IQueryable<Patient>> VisiblePatientsAsync()
    {
        var (sensitive, only) = await VisibilityAsync();
        var patients = sensitive ? db.Patients : db.Patients.Where(p => !p.IsSensitive);
        return only is { } patient ? patients.Where(p => p.Id == patient) : patients;
    }

    /// <summary>
    /// The same rule as <see cref="VisiblePatientsAsync"/>, as values, for a compiled query (which cannot be composed
    /// on): a query using it must apply both, as <see cref="PatientVisibility"/> says.
    /// </summary>
    public async Task<PatientVisibility> VisibilityAsync() => new(await staff.MaySeeSensitiveRecordsAsync(), staff.ConfinedToPatient);

    /// <summary>What every opening checks first: the record exists, is not sealed from this person, and is not merged away.</summary>
    private async Task<(PatientAccessDecision? Gate, Patient Patient)> GateAsync(Guid patientId, CancellationToken cancel)
    {
        if (!staff.IsSignedIn)
        {
            throw new InvalidOperationException("No signed-in member of staff");
        }
        if (staff.ConfinedToPatient is { } only && only != patientId)
        {
            await Audit(patientId, AuditOutcome.Denied, $"App launched on another patient ({staff.AppClientId}, patient/ scopes)", cancel);
            return (new(PatientAccessLevel.NotFound, null, null), null!);
        }
        var patient = await db.Patients.FindAsync([patientId], cancel);
        if (patient is null)
        {
            return (new(PatientAccessLevel.NotFound, null, null), null!);
        }
        if (patient.IsSensitive && !await staff.MaySeeSensitiveRecordsAsync())
        {
            await Audit(patientId, AuditOutcome.Denied, "Sensitive record: no permission", cancel);
            return (new(PatientAccessLevel.NotFound, null, null), patient);
        }
        if (patient.MergedIntoId is { } survivor)
        {
            await Audit(patientId, AuditOutcome.Success, $"Merged record: redirected to {survivor}", cancel);
            return (new(PatientAccessLevel.Merged, patient, null), patient);
        }
        return (null, patient);
    }

    private Task Audit(Guid patientId, AuditOutcome outcome, string reason, CancellationToken cancel) =>
        audit.SaveAsync(new AuditEvent(AuditAction.Read, RecordType, patientId.ToString(), patientId, reason, outcome), cancel);
}
