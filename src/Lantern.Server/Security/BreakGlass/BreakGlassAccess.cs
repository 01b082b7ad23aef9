namespace Lantern.Server.Security.BreakGlass;

/// <summary>
/// Time-limited access to one patient's record granted to one member of staff who had no legitimate
/// relationship, on a stated reason. Every one waits in the IG review queue until reviewed.
/// </summary>
public sealed class BreakGlassAccess
{
    public int Id { get; private set; }
    public Guid PatientId { get; private set; }
    public string UserName { get; private set; }
    public string Role { get; private set; }
    public BreakGlassReason Reason { get; private set; }
    public string Explanation { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime GrantedAt { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime ExpiresAt { get; private set; }

    public DateTime? ReviewedAt { get; private set; }
    public string? ReviewedBy { get; private set; }
    public BreakGlassReviewOutcome? ReviewOutcome { get; private set; }
    public string? ReviewNote { get; private set; }

    public BreakGlassAccess(Guid patientId, string userName, string role, BreakGlassReason reason, string explanation,
        DateTime grantedAt, TimeSpan duration)
    {
        PatientId = patientId;
        UserName = userName;
        Role = role;
        Reason = reason;
        Explanation = explanation;
        GrantedAt = grantedAt;
        ExpiresAt = grantedAt + duration;
    }

    private BreakGlassAccess(string userName, string role, string explanation)
    {
        UserName = userName;
        Role = role;
        Explanation = explanation;
    }

    public bool IsActiveAt(DateTime nowUtc) => GrantedAt <= nowUtc && nowUtc < ExpiresAt;

    public void Review(string reviewer, BreakGlassReviewOutcome outcome, string? note, DateTime nowUtc)
    {
        ReviewedAt = nowUtc;
        ReviewedBy = reviewer;
        ReviewOutcome = outcome;
        ReviewNote = note;
    }

    public string AuditReason => $"{Reason}: {Explanation}";
}
