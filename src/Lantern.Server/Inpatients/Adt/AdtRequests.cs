namespace Lantern.Server.Inpatients.Adt;

/// <summary>
/// Admit a registered patient. <see cref="At"/> defaults to now; it may be earlier (entered after the event), not later.
/// The admission fulfils the patient's expected admission named by <see cref="ExpectedAdmissionId"/> (admitted from the
/// ward's list), else the one of the sender's <see cref="VisitNumber"/> (HL7 PV1-19), else their earliest one due by the
/// end of the admission's day.
/// </summary>
public sealed record AdmitRequest(Guid PatientId, string? WardCode, string? BedLabel, int? TeamId, string? AdmissionMethod,
    string? AdmissionSource, DateOnly? ExpectedDischargeDate = null, DateTimeOffset? At = null, bool MixedSexJustified = false,
    int? ExpectedAdmissionId = null, string? VisitNumber = null);

/// <summary>Move to another bed, on this ward or another.</summary>
public sealed record TransferRequest(string? WardCode, string? BedLabel, DateTimeOffset? At = null, bool MixedSexJustified = false);

/// <summary>Hand the patient to another consultant's team: ends one consultant episode and starts the next.</summary>
public sealed record ConsultantChangeRequest(int? TeamId, DateTimeOffset? At = null);

public sealed record DischargeRequest(string? DischargeMethod, string? DischargeDestination, DateTimeOffset? At = null);

/// <summary>The expected date of discharge, revised as the patient progresses; null clears it.</summary>
public sealed record ExpectedDischargeRequest(DateOnly? ExpectedDischargeDate);

/// <summary>Take back the last admit, transfer, consultant change or discharge, entered in error.</summary>
public sealed record UndoRequest(string? Reason);
