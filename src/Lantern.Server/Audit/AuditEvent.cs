namespace Lantern.Server.Audit;

/// <summary>
/// What a feature tells the audit trail. Who, when and where are filled in from the request;
/// <see cref="UserName"/> is given only where nobody is signed in yet (a failed sign-in).
/// </summary>
public sealed record AuditEvent(
    AuditAction Action,
    string? RecordType = null,
    string? RecordId = null,
    Guid? PatientId = null,
    string? Reason = null,
    AuditOutcome Outcome = AuditOutcome.Success,
    string? UserName = null,
    string? Role = null);
