using Lantern.Server.Organisation;
using Lantern.Server.Patients;

namespace Lantern.Server.Inpatients.Expected;

public enum ExpectedAdmissionStatus
{
    /// <summary>Still to arrive (or overdue).</summary>
    Expected,

    /// <summary>Arrived: the spell it became is <see cref="ExpectedAdmission.SpellId"/>.</summary>
    Admitted,

    /// <summary>Will not happen as planned (the patient postponed, or it was entered in error).</summary>
    Cancelled,
}

/// <summary>
/// A patient expected on a ward: a pre-admission (HL7 A05) from the PAS's waiting list, or a GP's phone call taken by
/// the bed bureau. The ward sees who is coming and prepares a bed; when the patient is admitted it is fulfilled by
/// that spell, and if the admission is undone as entered in error it is expected again.
/// </summary>
public sealed class ExpectedAdmission
{
    public int Id { get; private set; }
    public Guid PatientId { get; private set; }
    public Patient? Patient { get; private set; }
    public int WardId { get; private set; }
    public Ward? Ward { get; private set; }

    /// <summary>The consultant team the patient is coming under, when already known.</summary>
    public int? TeamId { get; private set; }
    public ClinicalTeam? Team { get; private set; }

    /// <summary>UTC: when the patient is due on the ward.</summary>
    public DateTime ExpectedAt { get; private set; }

    /// <summary>CDS admission method code the admission is expected to have (11 waiting list, 22 via GP, …).</summary>
    public string AdmissionMethod { get; private set; } = "";

    /// <summary>The sender's visit (PV1-19) that a later A01 or A38 names; null when recorded on a page.</summary>
    public string? VisitNumber { get; private set; }

    /// <summary>What the patient is coming in for, as the ward should read it ("elective right hip replacement").</summary>
    public string? Reason { get; private set; }

    public ExpectedAdmissionStatus Status { get; private set; }
    public int? SpellId { get; private set; }
    public Spell? Spell { get; private set; }
    public DateTime? CancelledAt { get; private set; }
    public string? CancellationReason { get; private set; }
    public DateTime RecordedAt { get; private set; }
    public string RecordedBy { get; private set; } = "";

    /// <summary>Optimistic concurrency: a clerk cancelling while the patient is admitted cannot both succeed.</summary>
    public int Version { get; private set; }

    public const int ReasonLength = 200;

    private ExpectedAdmission()
    {
    }

    public ExpectedAdmission(Guid patientId, int wardId, int? teamId, DateTime expectedAt, string admissionMethod, string? visitNumber, string? reason,
        DateTime recordedAt, string recordedBy)
    {
        PatientId = patientId;
        Status = ExpectedAdmissionStatus.Expected;
        (RecordedAt, RecordedBy, VisitNumber) = (recordedAt, recordedBy, visitNumber);
        Plan(wardId, teamId, expectedAt, admissionMethod, reason);
    }

    public bool IsOpen => Status == ExpectedAdmissionStatus.Expected;

    /// <summary>Changes where, when and how the patient is expected (a TCI date moved, another ward).</summary>
    public void Plan(int wardId, int? teamId, DateTime expectedAt, string admissionMethod, string? reason)
    {
        RequireOpen();
        (WardId, TeamId, ExpectedAt, AdmissionMethod, Reason) = (wardId, teamId, expectedAt, admissionMethod, reason);
        Version++;
    }

    /// <summary>The patient has arrived and is admitted as <paramref name="spell"/>.</summary>
    public void Fulfil(Spell spell)
    {
        RequireOpen();
        (Status, Spell) = (ExpectedAdmissionStatus.Admitted, spell);
        Version++;
    }

    /// <summary>The admission that fulfilled it was undone as entered in error: the patient is expected again.</summary>
    public void Reopen()
    {
        if (Status != ExpectedAdmissionStatus.Admitted)
        {
            throw new InvalidOperationException("Only a fulfilled expected admission is reopened");
        }
        (Status, SpellId, Spell) = (ExpectedAdmissionStatus.Expected, null, null);
        Version++;
    }

    public void Cancel(DateTime at, string reason)
    {
        RequireOpen();
        (Status, CancelledAt, CancellationReason) = (ExpectedAdmissionStatus.Cancelled, at, reason);
        Version++;
    }

    private void RequireOpen()
    {
        if (Status != ExpectedAdmissionStatus.Expected)
        {
            throw new InvalidOperationException($"This expected admission is {Status.ToString().ToLowerInvariant()}");
        }
    }
}
