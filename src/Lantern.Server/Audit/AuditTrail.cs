using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit;

/// <summary>
/// Appends to the audit trail. <see cref="SaveAsync"/> commits the request's pending changes and their
/// audit entries in one SaveChanges (one transaction): a change is never stored unaudited, and an
/// audit entry never claims a change that was rolled back.
/// </summary>
public sealed class AuditTrail(LanternDb db, AuditChainHead head, CurrentStaff staff, IHttpContextAccessor http, TimeProvider clock)
{
    private const int Attempts = 3;

    public async Task SaveAsync(AuditEvent audit, CancellationToken cancel = default) => await SaveAsync([audit], cancel);

    public async Task SaveAsync(IReadOnlyList<AuditEvent> audits, CancellationToken cancel = default)
    {
        await head.Gate.WaitAsync(cancel);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (sequence, previous) = await head.CurrentAsync(db, cancel);
                var entries = new List<AuditEntry>(audits.Count);
                foreach (var audit in audits)
                {
                    var entry = Entry(audit, ++sequence);
                    entry.Hash = AuditChain.HashOf(previous, entry);
                    previous = entry.Hash;
                    entries.Add(entry);
                }
                db.AuditEntries.AddRange(entries);
                try
                {
                    await db.SaveChangesAsync(cancel);
                    head.Advance(entries[^1]);
                    return;
                }
                catch (DbUpdateException e) when (attempt < Attempts && e is not DbUpdateConcurrencyException)
                {
                    // Most likely another server appended first: take the new head and chain after it.
                    entries.ForEach(e => db.Entry(e).State = EntityState.Detached);
                    head.Forget();
                }
                catch
                {
                    entries.ForEach(e => db.Entry(e).State = EntityState.Detached);
                    head.Forget();
                    throw;
                }
            }
        }
        finally
        {
            head.Gate.Release();
        }
    }

    private AuditEntry Entry(AuditEvent audit, long sequence)
    {
        var request = http.HttpContext?.Request;
        var userAgent = request?.Headers.UserAgent.ToString();
        return new AuditEntry
        {
            Sequence = sequence,
            AtUnixMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            UserName = Truncate(audit.UserName ?? staff.UserName, 64),
            Role = audit.Role ?? staff.Role?.Name,
            Action = audit.Action,
            RecordType = audit.RecordType,
            RecordId = Truncate(audit.RecordId, 64),
            PatientId = audit.PatientId,
            ClientAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = string.IsNullOrEmpty(userAgent) ? null : Truncate(userAgent, AuditEntry.UserAgentLength),
            Reason = Truncate(audit.Reason, AuditEntry.ReasonLength),
            Outcome = audit.Outcome,
        };
    }

    private static string? Truncate(string? value, int length) => value is { Length: > 0 } && value.Length > length ? value[..length] : value;
}
