using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit;

/// <summary>
/// The last entry of the chain (number and hash), shared by the whole server so that appends are
/// serialised and need no read of the previous row. The unique entry number protects the chain if
/// a second server appends too: the loser reloads the head and retries.
/// </summary>
public sealed class AuditChainHead : IDisposable
{
    private long? sequence;
    private byte[] hash = AuditChain.Genesis;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The head as this server last wrote or read it, if it has; verification compares against it.</summary>
    public (long Sequence, byte[] Hash)? Known => sequence is { } s ? (s, hash) : null;

    /// <summary>Call only while holding <see cref="Gate"/>.</summary>
    public async Task<(long Sequence, byte[] Hash)> CurrentAsync(LanternDb db, CancellationToken cancel)
    {
        if (sequence is null)
        {
            var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancel);
            sequence = last?.Sequence ?? 0;
            hash = last?.Hash ?? AuditChain.Genesis;
        }
        return (sequence.Value, hash);
    }

    /// <summary>Numbers and hashes <paramref name="entries"/> after the head (not advanced: that follows the commit). Call only while holding <see cref="Gate"/>.</summary>
    public async Task LinkAsync(LanternDb db, IReadOnlyList<AuditEntry> entries, CancellationToken cancel)
    {
        var (last, previous) = await CurrentAsync(db, cancel);
        AuditChain.Link(entries, last, previous);
    }

    public void Advance(AuditEntry entry)
    {
        sequence = entry.Sequence;
        hash = entry.Hash;
    }

    public void Forget() => sequence = null;

    public void Dispose() => Gate.Dispose();
}
