using Lantern.Server.Audit;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Registration;

public enum RegistrationOutcome
{
    Registered,
    Updated,
    PossibleDuplicates,
    NhsNumberInUse,
    NotFound,
    EditedByAnother,

    /// <summary>The details change nothing, and the caller asked that nothing then be saved (a feed sending a patient again).</summary>
    Unchanged,
}

public sealed record RegistrationResult(RegistrationOutcome Outcome, Patient? Patient = null,
    IReadOnlyList<DuplicateCandidate>? Duplicates = null, string? NhsNumberHolderMrn = null);

/// <summary>
/// Registers patients and records changes to their demographics: the commands behind the registration and
/// edit pages and the JSON API. Each is one transaction with its audit entry.
/// </summary>
public sealed class PatientRegistry(LanternDb db, DuplicateCheck duplicates, HospitalNumbers hospitalNumbers, AuditTrail audit, TimeProvider clock,
    IPatientVersions versions)
{
    /// <summary>
    /// Registers a new patient, unless the NHS number is already registered, or (without
    /// <paramref name="acceptDuplicates"/>) there are possible duplicates the clerk has not yet seen.
    /// </summary>
    public async Task<RegistrationResult> RegisterAsync(Demographics d, bool acceptDuplicates, CancellationToken cancel = default)
    {
        if (await NhsNumberHolderAsync(d.NhsNumber, null, cancel) is { } holder)
        {
            return new(RegistrationOutcome.NhsNumberInUse, NhsNumberHolderMrn: holder);
        }
        var candidates = await duplicates.FindAsync(d, cancel: cancel);
        if (candidates.Count > 0 && !acceptDuplicates)
        {
            return new(RegistrationOutcome.PossibleDuplicates, Duplicates: candidates);
        }
        return await AddAsync(d, await hospitalNumbers.NextAsync(db, cancel), candidates, cancel);
    }

    /// <summary>
    /// Registers a patient with a hospital number issued beforehand (<see cref="HospitalNumbers.NextAsync"/> must run
    /// outside a transaction): for registrations inside a larger transaction, such as a FHIR transaction Bundle.
    /// Possible duplicates are recorded in the audit entry, not refused; an NHS number already held is.
    /// </summary>
    public async Task<RegistrationResult> RegisterWithMrnAsync(Demographics d, string mrn, CancellationToken cancel = default)
    {
        if (await NhsNumberHolderAsync(d.NhsNumber, null, cancel) is { } holder)
        {
            return new(RegistrationOutcome.NhsNumberInUse, NhsNumberHolderMrn: holder);
        }
        return await AddAsync(d, mrn, await duplicates.FindAsync(d, cancel: cancel), cancel);
    }

    private async Task<RegistrationResult> AddAsync(Demographics d, string mrn, IReadOnlyList<DuplicateCandidate> candidates, CancellationToken cancel)
    {
        var patient = new Patient(mrn, d, clock.GetUtcNow().UtcDateTime);
        // Inside a larger transaction (an HL7 batch, a FHIR Bundle) the row goes in at once, below the change tracker.
        if (db.Database.CurrentTransaction is not null && patient.PreviousNames.Count == 0)
        {
            await db.InsertNowAsync(patient, cancel);
        }
        else
        {
            db.Patients.Add(patient);
        }
        versions.Keep(patient, created: true);
        var note = candidates.Count == 0 ? "" : $"; registered despite possible duplicates {string.Join(", ", candidates.Select(c => c.Patient.Mrn))}";
        await audit.SaveAsync(new AuditEvent(AuditAction.Create, PatientAccess.RecordType, patient.Id.ToString(), patient.Id,
            $"Registered {patient.Mrn}{note}"), cancel);
        return new(RegistrationOutcome.Registered, patient, candidates);
    }

    /// <summary>
    /// Records new demographics for a patient last seen at <paramref name="expectedVersion"/>. If someone else
    /// saved in between, nothing is written: the clerk must see their change first.
    /// </summary>
    public Task<RegistrationResult> UpdateAsync(Guid patientId, int expectedVersion, Demographics d, CancellationToken cancel = default) =>
        UpdateAsync(patientId, expectedVersion, d, saveUnchanged: true, cancel);

    /// <param name="saveUnchanged">
    /// False for a feed, whose every admission, move and discharge carries the patient's details again: details that
    /// change nothing are then not saved (no new version, no entry of their own in the audit trail, which has the
    /// message's) and the outcome is <see cref="RegistrationOutcome.Unchanged"/>. A member of staff's save is always kept.
    /// </param>
    public async Task<RegistrationResult> UpdateAsync(Guid patientId, int expectedVersion, Demographics d, bool saveUnchanged, CancellationToken cancel = default)
    {
        // Found by key: no query when the caller has just read the patient in this context (an HL7 update finds them by MRN first).
        var patient = await db.Patients.FindAsync([patientId], cancel);
        if (patient is null || patient.MergedIntoId is not null)
        {
            return new(RegistrationOutcome.NotFound);
        }
        if (patient.Version != expectedVersion)
        {
            return new(RegistrationOutcome.EditedByAnother, patient);
        }
        // The patient's own number needs no look-up (a feed's update usually sends it again): the unique index on NHS
        // numbers means no one else holds it.
        if (d.NhsNumber != patient.NhsNumber && await NhsNumberHolderAsync(d.NhsNumber, patientId, cancel) is { } holder)
        {
            return new(RegistrationOutcome.NhsNumberInUse, patient, NhsNumberHolderMrn: holder);
        }
        var previousNames = patient.PreviousNames.Count;
        patient.Record(d, clock.GetUtcNow().UtcDateTime);
        var entry = db.Entry(patient);
        var changed = entry.Properties
            .Where(p => p.IsModified && p.Metadata.Name is not nameof(Patient.Version) and not "FamilyNameKey" and not "FamilyNameSound" and not "GivenNameKey")
            .Select(p => p.Metadata.Name).ToList();
        if (patient.PreviousNames.Count != previousNames)
        {
            changed.Add(nameof(Patient.PreviousNames));
        }
        // EF Core compared every mapped value with what was read, owned and complex ones too (so that a value mapped
        // later cannot be dropped here unnoticed): with nothing changed, the values (the version too) are put back.
        if (!saveUnchanged && changed.Count == 0 && !entry.Navigations.Any(n => n.IsModified) && !entry.ComplexProperties.Any(p => p.IsModified))
        {
            entry.CurrentValues.SetValues(entry.OriginalValues);
            entry.State = EntityState.Unchanged;
            return new(RegistrationOutcome.Unchanged, patient);
        }
        versions.Keep(patient, created: false);
        try
        {
            await audit.SaveAsync(new AuditEvent(AuditAction.Update, PatientAccess.RecordType, patient.Id.ToString(), patient.Id,
                changed.Count == 0 ? "Saved with no changes" : "Changed " + string.Join(", ", changed.Distinct())), cancel);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone saved between our read and our write: show what they stored, not our unsaved values.
            await db.Entry(patient).ReloadAsync(cancel);
            return new(RegistrationOutcome.EditedByAnother, patient);
        }
        return new(RegistrationOutcome.Updated, patient);
    }

    /// <summary>The MRN of another patient already holding this NHS number, if any; a sealed record is not named.</summary>
    private async Task<string?> NhsNumberHolderAsync(string? nhsNumber, Guid? except, CancellationToken cancel)
    {
        if (nhsNumber is null)
        {
            return null;
        }
        var holder = await NhsNumberHolder.For(db)(db, nhsNumber, except, cancel);
        return holder is null ? null : holder.IsSensitive ? "(a restricted record: contact medical records)" : holder.Mrn;
    }

    private sealed record Holder(string Mrn, bool IsSensitive);

    // Every registration, and every change of NHS number, asks: compiled.
    private static readonly PerModel<Func<LanternDb, string, Guid?, CancellationToken, Task<Holder?>>> NhsNumberHolder = new(() => EF.CompileAsyncQuery(
        (LanternDb db, string nhsNumber, Guid? except, CancellationToken _) =>
            db.Patients.Where(p => p.NhsNumber == nhsNumber && p.Id != except).Select(p => new Holder(p.Mrn, p.IsSensitive)).FirstOrDefault()));
}
