using System.Globalization;
using Lantern.Server.Audit;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Expected;

/// <summary>
/// Expect a patient on a ward. <see cref="VisitNumber"/> is the sender's visit (HL7 PV1-19): an open expected admission
/// of the same patient and visit is planned again rather than duplicated (a PAS moving a TCI date sends A05 again).
/// </summary>
public sealed record ExpectAdmissionRequest(Guid PatientId, string? WardCode, int? TeamId, DateTimeOffset? ExpectedAt, string? AdmissionMethod,
    string? Reason = null, string? VisitNumber = null);

public sealed record CancelExpectedAdmissionRequest(string? Reason);

/// <summary>What a command did: the expected admission, or field problems (400), a clash (409), or none such (404).</summary>
public sealed record ExpectedResult(ExpectedAdmission? Expected, IReadOnlyList<FieldError> Errors, bool Conflict = false, bool NotFound = false)
{
    public static ExpectedResult Invalid(params FieldError[] errors) => new(null, errors);
}

/// <summary>
/// Record, re-plan and cancel expected admissions (pages, API and HL7 A05/A38 alike). Each command checks everything
/// first and changes nothing when it refuses; a change is saved with its audit entry in one transaction, and the
/// ward's open bed boards are told. Fulfilling one is part of the admission (<see cref="Adt.AdtCommands.AdmitAsync"/>).
/// </summary>
public sealed class ExpectedAdmissions(LanternDb db, AuditTrail audit, CurrentStaff staff, TimeProvider clock, WardChanges boards)
{
    public const string RecordType = "ExpectedAdmission";

    /// <summary>An expected time this far past is not an expectation any more: the patient is admitted, or it is cancelled.</summary>
    private static readonly TimeSpan Overdue = TimeSpan.FromHours(24);

    public async Task<ExpectedResult> ExpectAsync(ExpectAdmissionRequest r, CancellationToken cancel = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new List<FieldError>();
        var patient = await db.Patients.FindAsync([r.PatientId], cancel) is { MergedIntoId: null } found ? found : null;
        if (patient is null)
        {
            errors.Add(new(nameof(r.PatientId), "No such patient: register them first"));
        }
        else if (patient.DateOfDeath is not null)
        {
            errors.Add(new(nameof(r.PatientId), "This patient has died: they cannot be expected for admission"));
        }
        var ward = string.IsNullOrWhiteSpace(r.WardCode) ? null : await Adt.AdtCommands.WardByCode.RunAsync(db, r.WardCode.Trim(), cancel);
        if (ward is null)
        {
            errors.Add(new(nameof(r.WardCode), "Choose the ward the patient is expected on"));
        }
        var team = r.TeamId is { } teamId ? await db.ClinicalTeams.FindAsync([teamId], cancel) : null;
        if (r.TeamId is not null && team is null)
        {
            errors.Add(new(nameof(r.TeamId), "No such consultant team"));
        }
        if (r.ExpectedAt is not { } expectedAt)
        {
            errors.Add(new(nameof(r.ExpectedAt), "Enter the date and time the patient is expected"));
        }
        else if (expectedAt.UtcDateTime < now - Overdue)
        {
            errors.Add(new(nameof(r.ExpectedAt), "The expected time is more than a day ago: admit the patient, or do not record them as expected"));
        }
        Adt.AdtCommands.Code(r.AdmissionMethod, AdtCodes.AdmissionMethods, nameof(r.AdmissionMethod), "admission method", errors);
        var reason = string.IsNullOrWhiteSpace(r.Reason) ? null : r.Reason.Trim();
        if (reason?.Length > ExpectedAdmission.ReasonLength)
        {
            errors.Add(new(nameof(r.Reason), $"The reason must be {ExpectedAdmission.ReasonLength} characters or fewer"));
        }
        var visit = string.IsNullOrWhiteSpace(r.VisitNumber) ? null : r.VisitNumber.Trim();
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var at = r.ExpectedAt!.Value.UtcDateTime;
        var same = visit is null ? null : await db.ExpectedAdmissions
            .FirstOrDefaultAsync(e => e.PatientId == r.PatientId && e.VisitNumber == visit && e.Status == ExpectedAdmissionStatus.Expected, cancel);
        var wardBefore = same?.WardId;
        string detail;
        if (same is null)
        {
            same = new ExpectedAdmission(r.PatientId, ward!.Id, team?.Id, at, r.AdmissionMethod!, visit, reason, now, staff.UserName ?? "system");
            db.ExpectedAdmissions.Add(same);
            detail = $"Expected on {ward.Code} at {Patients.PatientFormat.DateTime(at)}";
        }
        else
        {
            same.Plan(ward!.Id, team?.Id, at, r.AdmissionMethod!, reason);
            detail = $"Now expected on {ward.Code} at {Patients.PatientFormat.DateTime(at)}";
        }
        detail += $" (method {r.AdmissionMethod}{(team is null ? "" : $", under {team.Name}")}{(visit is null ? "" : $", visit {visit}")})";
        return await SaveAsync(same, wardBefore, same.Id == 0 ? AuditAction.Create : AuditAction.Update, detail, cancel);
    }

    public async Task<ExpectedResult> CancelAsync(int id, CancelExpectedAdmissionRequest r, CancellationToken cancel = default)
    {
        var expected = await db.ExpectedAdmissions.FirstOrDefaultAsync(e => e.Id == id, cancel);
        return expected is null ? new(null, [], NotFound: true) : await CancelAsync(expected, r.Reason, cancel);
    }

    /// <summary>
    /// Cancels the patient's open expected admission for the sender's visit (HL7 A38), or their only one when no visit is
    /// named; null when there is none to cancel.
    /// </summary>
    public async Task<ExpectedResult?> CancelForPatientAsync(Guid patientId, string? visitNumber, string reason, CancellationToken cancel = default)
    {
        var open = await db.ExpectedAdmissions.Where(e => e.PatientId == patientId && e.Status == ExpectedAdmissionStatus.Expected).ToListAsync(cancel);
        var visit = string.IsNullOrWhiteSpace(visitNumber) ? null : visitNumber.Trim();
        var chosen = visit is null ? open : [.. open.Where(e => e.VisitNumber == visit)];
        return chosen.Count switch
        {
            0 => null,
            1 => await CancelAsync(chosen[0], reason, cancel),
            _ => ExpectedResult.Invalid(new FieldError("VisitNumber", "The patient is expected more than once: name the visit to cancel")),
        };
    }

    private async Task<ExpectedResult> CancelAsync(ExpectedAdmission expected, string? reason, CancellationToken cancel)
    {
        if (!expected.IsOpen)
        {
            return ExpectedResult.Invalid(new FieldError("", expected.Status == ExpectedAdmissionStatus.Admitted
                ? "The patient has been admitted: undo the admission on the ward if it was entered in error"
                : "This expected admission has already been cancelled"));
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ExpectedResult.Invalid(new FieldError(nameof(CancelExpectedAdmissionRequest.Reason), "Give the reason for cancelling"));
        }
        expected.Cancel(clock.GetUtcNow().UtcDateTime, reason.Trim());
        return await SaveAsync(expected, null, AuditAction.Update, $"Expected admission cancelled: {reason.Trim()}", cancel);
    }

    private async Task<ExpectedResult> SaveAsync(ExpectedAdmission expected, int? wardBefore, AuditAction action, string detail, CancellationToken cancel)
    {
        try
        {
            await audit.SaveInTransactionAsync(async c =>
            {
                await db.SaveChangesAsync(c); // a new one gets its id, which the audit entry names
                return (expected, (IReadOnlyList<AuditEvent>)[new AuditEvent(action, RecordType, expected.Id.ToString(CultureInfo.InvariantCulture), expected.PatientId, detail)]);
            }, cancel);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(null, [new FieldError("", "Someone else changed this expected admission at the same moment. Nothing was saved: check the ward's list and try again.")], Conflict: true);
        }
        boards.Changed(wardBefore is { } before && before != expected.WardId ? [before, expected.WardId] : [expected.WardId]);
        return new(expected, []);
    }
}
