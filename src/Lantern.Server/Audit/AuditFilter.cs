using Lantern.Server.Platform;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit;

/// <summary>The IG officer's audit search: by user, action, patient and UK-date range (all optional).</summary>
public sealed class AuditFilter
{
    public string? User { get; set; }
    public AuditAction? Action { get; set; }
    public Guid? Patient { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }

    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries)
    {
        if (!string.IsNullOrWhiteSpace(User))
        {
            var user = User.Trim();
            entries = entries.Where(e => e.UserName == user);
        }
        if (Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }
        if (Patient is { } patient)
        {
            entries = entries.Where(e => e.PatientId == patient);
        }
        if (From is { } from)
        {
            var start = UkTime.StartOfUkDay(from).ToUnixTimeMilliseconds();
            entries = entries.Where(e => e.AtUnixMs >= start);
        }
        if (To is { } to)
        {
            var end = UkTime.StartOfUkDay(to.AddDays(1)).ToUnixTimeMilliseconds();
            entries = entries.Where(e => e.AtUnixMs < end);
        }
        return entries.AsNoTracking();
    }

    public string Describe() => string.Join(", ", new[]
    {
        User is { Length: > 0 } ? $"user={User}" : null,
        Action is null ? null : $"action={Action}",
        Patient is null ? null : $"patient={Patient}",
        From is null ? null : $"from={From:yyyy-MM-dd}",
        To is null ? null : $"to={To:yyyy-MM-dd}",
    }.Where(x => x is not null));
}
