using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit;

/// <summary>The result of walking the chain: intact, or the first entry (by number) where it breaks, and how.</summary>
public sealed record AuditVerification(bool Intact, long EntriesChecked, long? FirstBadSequence, string Message);

/// <summary>
/// Re-computes the hash chain from the first entry. Detects an altered entry (its hash no longer matches),
/// a deleted entry (a gap in the numbers), reordered entries (hashes no longer chain) and, against the
/// head this server last wrote, entries deleted from the end.
/// </summary>
public sealed partial class AuditVerifier(LanternDb db, AuditChainHead head, ILogger<AuditVerifier> log)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancel = default)
    {
        // The head as it was before the read began: every entry it counts had committed by then, so the read sees it.
        // (Taken afterwards, entries committed while the read ran would count as deleted.)
        var written = head.Known;
        var expected = 1L;
        var previous = AuditChain.Genesis;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancel))
        {
            if (entry.Sequence != expected)
            {
                return Broken(expected - 1, expected,
                    entry.Sequence == expected + 1
                        ? $"Entry {expected} is missing: it has been deleted."
                        : $"Entries {expected} to {entry.Sequence - 1} are missing: they have been deleted.");
            }
            if (!AuditChain.HashOf(previous, entry).AsSpan().SequenceEqual(entry.Hash))
            {
                return Broken(expected - 1, expected,
                    $"Entry {expected} does not match its hash: it, or the order of entries before it, has been altered.");
            }
            previous = entry.Hash;
            expected++;
        }
        var count = expected - 1;
        if (written is { } known && known.Sequence > count)
        {
            return Broken(count, count + 1, $"Entries {count + 1} to {known.Sequence} were written by this server but are missing: they have been deleted.");
        }
        var hex = Convert.ToHexString(previous);
        Anchor(log, count, hex);
        return new AuditVerification(true, count, null, $"All {count} entries are intact. Last entry {count}, hash {hex}.");
    }

    /// <summary>Verifies, and records in the trail that a verification was run and how it ended.</summary>
    public async Task<AuditVerification> VerifyAndRecordAsync(AuditTrail audit, CancellationToken cancel = default)
    {
        var result = await VerifyAsync(cancel);
        await audit.SaveAsync(new AuditEvent(AuditAction.VerifyAudit, "AuditTrail", Reason: result.Message,
            Outcome: result.Intact ? AuditOutcome.Success : AuditOutcome.Failed), cancel);
        return result;
    }

    private AuditVerification Broken(long checkedCount, long sequence, string message)
    {
        ChainBroken(log, sequence, message);
        return new AuditVerification(false, checkedCount, sequence, message);
    }

    // The head's hash goes to the log shipper too: an external anchor against silent truncation of the table.
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Audit trail verified: {Count} entries, head hash {Hash}")]
    private static partial void Anchor(ILogger log, long count, string hash);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Critical, Message = "Audit trail broken at entry {Sequence}: {Problem}")]
    private static partial void ChainBroken(ILogger log, long sequence, string problem);
}
