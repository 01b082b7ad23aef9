using System.Threading.Channels;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit;

/// <summary>
/// Group commit for audit entries that stand alone (reads, searches, refusals: no other change to save with
/// them). Requests queue their entries and wait; one writer chains a whole batch onto the head under the
/// chain's gate and commits it in one transaction, then releases every waiting request. Each request still
/// returns only after its entry is durable; many requests share one commit instead of queueing for one each.
/// </summary>
public sealed partial class AuditBatcher(IServiceScopeFactory scopes, AuditChainHead head, ILogger<AuditBatcher> log) : IDisposable
{
    private const int MaxBatch = 512;
    private const int Attempts = 3;
    private readonly Channel<(AuditEntry[] Entries, TaskCompletionSource Done)> queue =
        Channel.CreateUnbounded<(AuditEntry[], TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock starting = new();
    private Task? writer;

    /// <summary>Queues the entries (sequence and hash are set when their batch is written) and waits until they are committed.</summary>
    public Task AppendAsync(AuditEntry[] entries, CancellationToken cancel)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite((entries, done)))
        {
            throw new InvalidOperationException("The audit trail is shutting down");
        }
        lock (starting)
        {
            writer ??= Task.Run(WriteAsync, CancellationToken.None);
        }
        // The entry is written whatever happens to the request: a read that was audited stays audited.
        return done.Task.WaitAsync(cancel);
    }

    private async Task WriteAsync()
    {
        var batch = new List<(AuditEntry[] Entries, TaskCompletionSource Done)>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                await CommitAsync(batch);
                batch.ForEach(b => b.Done.TrySetResult());
            }
            catch (Exception e)
            {
                // Whatever went wrong, the waiting requests fail (they must not answer unaudited) and the writer lives on.
                LogBatchFailed(log, e, batch.Count);
                batch.ForEach(b => b.Done.TrySetException(e));
            }
        }
    }

    private async Task CommitAsync(List<(AuditEntry[] Entries, TaskCompletionSource Done)> batch)
    {
        var entries = batch.SelectMany(b => b.Entries).ToList();
        await head.Gate.WaitAsync();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
                await head.LinkAsync(db, entries, CancellationToken.None);
                db.AuditEntries.AddRange(entries);
                try
                {
                    await db.SaveChangesAsync(CancellationToken.None);
                    head.Advance(entries[^1]);
                    return;
                }
                catch (DbUpdateException) when (attempt < Attempts)
                {
                    // Another server appended first: take the new head and chain after it.
                    head.Forget();
                }
                catch
                {
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

    public void Dispose() => queue.Writer.TryComplete();

    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "Writing a batch of {Count} audit entries failed; the requests waiting on them fail")]
    private static partial void LogBatchFailed(ILogger log, Exception error, int count);
}
