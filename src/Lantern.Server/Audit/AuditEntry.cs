namespace Lantern.Server.Audit;

/// <summary>
/// One compact row of the audit trail: who (user, role), what (action, record), which patient, when (UTC),
/// where (client address, browser), why (legitimate relationship or break-glass reason), and the outcome.
/// Entries are numbered without gaps and hash-chained: <see cref="Hash"/> covers this entry's fields and the
/// previous entry's hash, so altering, deleting or reordering any entry breaks the chain from there on.
/// The application only ever appends (LanternDb refuses updates and deletes).
/// </summary>
public sealed class AuditEntry
{
    public long Sequence { get; set; } // set when the entry is chained (a batch gets its numbers as it is written)

    /// <summary>Milliseconds since the Unix epoch, UTC: compact, sortable on every database, exact to hash.</summary>
    public long AtUnixMs { get; init; }

    public string? UserName { get; init; }
    public string? Role { get; init; }
    public AuditAction Action { get; init; }
    public string? RecordType { get; init; }
    public string? RecordId { get; init; }
    public Guid? PatientId { get; init; }
    public string? ClientAddress { get; init; }
    public string? UserAgent { get; init; }
    public string? Reason { get; init; }
    public AuditOutcome Outcome { get; init; }
    public byte[] Hash { get; set; } = [];

    public DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds(AtUnixMs);

    public const int UserAgentLength = 200;
    public const int ReasonLength = 500;
}
