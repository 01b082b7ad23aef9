using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit;

/// <summary>
/// Appends to the audit trail. <see cref="SaveAsync"/> commits the request's pending changes and their
/// audit entries in one SaveChanges (one transaction): a change is never stored unaudited, and an
/// audit entry never claims a change that was rolled back.
/// </summary>
public sealed class AuditTrail(LanternDb db, AuditChainHead head, AuditBatcher batcher, CurrentStaff staff, IHttpContextAccessor http, TimeProvider clock)
{
    private const int Attempts = 3;

    /// <summary>True while this request runs work inside <see cref="SaveInTransactionAsync{T}"/>, which holds the gate.</summary>
    private bool inTransaction;

    /// <summary>True while a caller inside a transaction saves the entries of the commands it runs with its own save (<see cref="JoinNextSave"/>).</summary>
    private bool joinNextSave;

    /// <summary>
    /// Inside a transaction, until disposed: the entries of the commands run meanwhile are chained and tracked but not
    /// saved on their own; the transaction's next save writes them with everything else pending. For a caller that
    /// saves straight after: the HL7 inbox saves a person's update with the message that carried it, one save rather
    /// than two. Nothing must read the command's changes back before that save (they are not yet in the database).
    /// Outside a transaction it changes nothing.
    /// </summary>
    public JoinedSave JoinNextSave()
    {
        joinNextSave = true;
        return new JoinedSave(this);
    }

    public readonly struct JoinedSave(AuditTrail trail) : IDisposable
    {
        public void Dispose() => trail.joinNextSave = false;
    }

    public async Task SaveAsync(AuditEvent audit, CancellationToken cancel = default) => await SaveAsync([audit], cancel);

    public async Task SaveAsync(IReadOnlyList<AuditEvent> audits, CancellationToken cancel = default)
    {
        if (inTransaction)
        {
            // A command inside a larger transaction (one entry of a FHIR transaction Bundle): this request already
            // holds the gate, and its entries commit or roll back with everything else.
            await AppendInTransactionAsync(audits, cancel);
            return;
        }
        if (!db.ChangeTracker.HasChanges())
        {
            // Nothing else to save with them (a read, a search, a refusal): share a commit with other requests.
            await batcher.AppendAsync([.. audits.Select(Entry)], cancel);
            return;
        }
        await head.Gate.WaitAsync(cancel);
        try
        {
            await AppendAsync(audits, Attempts, cancel);
        }
        finally
        {
            head.Gate.Release();
        }
    }

    /// <summary>
    /// For commands that change rows with SQL statements (bulk updates) as well as tracked entities: runs
    /// <paramref name="work"/> and then saves everything with the audit entries it returns, in one transaction.
    /// The audit gate is taken first, so on SQLite (one writer at a time) this transaction never holds the
    /// write lock while waiting for the gate that another writer holds.
    /// </summary>
    public async Task<T> SaveInTransactionAsync<T>(Func<CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Audits)>> work, CancellationToken cancel = default)
    {
        if (inTransaction)
        {
            // A command inside a larger transaction (an HL7 message that registers a patient and admits them): it joins
            // that transaction, which already holds the gate, and commits or rolls back with it.
            var (inner, innerAudits) = await work(cancel);
            await AppendInTransactionAsync(innerAudits, cancel);
            return inner;
        }
        await head.Gate.WaitAsync(cancel);
        try
        {
            // No savepoints around each SaveChanges: a failure aborts the whole command anyway, and on PostgreSQL
            // each savepoint is two more round trips per save.
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancel);
            inTransaction = true;
            try
            {
                var (result, audits) = await work(cancel);
                await AppendAsync(audits, attempts: 1, cancel); // an aborted transaction cannot be retried in place
                await transaction.CommitAsync(cancel);
                return result;
            }
            catch
            {
                // Entries appended inside the work are rolled back with it: the head must be read again.
                head.Forget();
                throw;
            }
        }
        finally
        {
            inTransaction = false;
            db.Database.AutoSavepointsEnabled = true;
            head.Gate.Release();
        }
    }

    /// <summary>
    /// Inside a transaction the caller holds: saved now with the pending changes (an aborted transaction cannot be
    /// retried in place), or only chained and tracked for the caller's own save (<see cref="JoinNextSave"/>).
    /// </summary>
    private async Task AppendInTransactionAsync(IReadOnlyList<AuditEvent> audits, CancellationToken cancel)
    {
        if (joinNextSave)
        {
            await ChainAsync(audits, advance: true, cancel);
            return;
        }
        await AppendAsync(audits, attempts: 1, cancel);
    }

    /// <summary>Chains the entries after the current head and saves them with the pending changes. Caller holds the gate.</summary>
    private async Task AppendAsync(IReadOnlyList<AuditEvent> audits, int attempts, CancellationToken cancel)
    {
        if (audits.Count == 0)
        {
            // Work that audited each of its parts as it went (a batch of HL7 messages): only its changes to save.
            await db.SaveChangesAsync(cancel);
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            var entries = await ChainAsync(audits, advance: false, cancel);
            try
            {
                await db.SaveChangesAsync(cancel);
                head.Advance(entries[^1]);
                return;
            }
            catch (DbUpdateException e) when (attempt < attempts && e is not DbUpdateConcurrencyException)
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

    /// <summary>
    /// The events' entries, chained after the head and tracked for the next save. The head moves on at once when
    /// <paramref name="advance"/> (the save is the caller's: any failure before the commit makes the head be read again).
    /// </summary>
    private async Task<List<AuditEntry>> ChainAsync(IReadOnlyList<AuditEvent> audits, bool advance, CancellationToken cancel)
    {
        var (sequence, previous) = await head.CurrentAsync(db, cancel);
        var entries = audits.Select(Entry).ToList();
        AuditChain.Link(entries, sequence, previous);
        entries.ForEach(db.Append);
        // Collected entries are inserted by the batch before it commits, not by the next save: the head moves on now.
        advance |= db.CollectsAppends;
        if (advance && entries.Count > 0)
        {
            head.Advance(entries[^1]);
        }
        return entries;
    }

    /// <summary>The entry for an event, as of now, with who and where from the request; numbered and hashed when chained.</summary>
    private AuditEntry Entry(AuditEvent audit)
    {
        var request = http.HttpContext?.Request;
        var userAgent = request?.Headers.UserAgent.ToString();
        return new AuditEntry
        {
            AtUnixMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            UserName = Truncate(audit.UserName ?? staff.UserName, 64),
            Role = audit.Role ?? staff.Role?.Name ?? staff.Principal.FindFirst(OpenIddict.Abstractions.OpenIddictConstants.Claims.Role)?.Value,
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
