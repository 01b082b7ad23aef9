using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit;

/// <summary>
/// Appends to the audit trail. <see cref="SaveAsync"/> commits the request's pending changes and their
/// audit entries in one transaction: a change is never stored unaudited, and an audit entry never claims a
/// change that was rolled back. Entries are numbered and hash-chained in the order their transactions commit.
/// </summary>
public sealed class AuditTrail(LanternDb db, AuditChainHead head, AuditBatcher batcher, CurrentStaff staff, IHttpContextAccessor http, TimeProvider clock)
{
    private const int Attempts = 3;

    /// <summary>
    /// Where a transaction takes the chain's gate. SQLite has one writer at a time: the gate is taken before the first
    /// write, so a transaction never holds the write lock while waiting for the gate that another writer holds. On
    /// PostgreSQL transactions do their work side by side (the HL7 inbox's appliers, requests) and take the gate only
    /// to chain their entries, insert them and commit: the holder never waits on another transaction's row lock, so
    /// no transaction waits for the gate while the holder waits for it.
    /// </summary>
    private readonly bool gateFirst = db is LanternSqliteDb;

    /// <summary>Inside <see cref="SaveInTransactionAsync{T}"/>: the entries of its work, in order, chained when it commits.</summary>
    private List<AuditEntry>? pending;

    /// <summary>Inside <see cref="SaveInTransactionAsync{T}"/>: rows to be inserted in commit order (<see cref="AppendInCommitOrder"/>).</summary>
    private readonly List<object> inCommitOrder = [];

    /// <summary>True while a caller inside a transaction saves the entries of the commands it runs with its own save (<see cref="JoinNextSave"/>).</summary>
    private bool joinNextSave;

    /// <summary>
    /// Inside a transaction, until disposed: the commands run meanwhile do not save their changes with their audit
    /// entries; the caller's next save writes them with everything else pending. For a caller that saves straight
    /// after: the HL7 inbox saves a person's update with the message that carried it, one save rather than two.
    /// Nothing must read the command's changes back before that save (they are not yet in the database). Outside a
    /// transaction it changes nothing.
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

    /// <summary>
    /// Inside a transaction: a row that a reader takes in id order and must never miss (the outbox, whose sender goes on
    /// from the last id it sent) is inserted as the transaction commits, under the gate, so that ids are given in the
    /// order transactions commit: on PostgreSQL transactions run side by side, and a row inserted earlier by one that
    /// commits later would get a lower id after the reader had passed it.
    /// </summary>
    public void AppendInCommitOrder(object row)
    {
        if (pending is null)
        {
            throw new InvalidOperationException("Rows in commit order are appended inside SaveInTransactionAsync");
        }
        inCommitOrder.Add(row);
    }

    /// <summary>Inside a transaction: what waits for its commit, to <see cref="Discard"/> back to after a savepoint is rolled back.</summary>
    public (int Entries, int Rows) Mark => (pending?.Count ?? 0, inCommitOrder.Count);

    /// <summary>Drops what was added since <paramref name="mark"/>: the part of the transaction it belonged to was rolled back.</summary>
    public void Discard((int Entries, int Rows) mark)
    {
        pending?.RemoveRange(mark.Entries, pending.Count - mark.Entries);
        inCommitOrder.RemoveRange(mark.Rows, inCommitOrder.Count - mark.Rows);
    }

    public async Task SaveAsync(AuditEvent audit, CancellationToken cancel = default) => await SaveAsync([audit], cancel);

    public async Task SaveAsync(IReadOnlyList<AuditEvent> audits, CancellationToken cancel = default)
    {
        if (pending is not null)
        {
            // A command inside a larger transaction (one entry of a FHIR transaction Bundle): its entries commit or
            // roll back with everything else.
            await AppendInTransactionAsync(audits, cancel);
            return;
        }
        if (!db.ChangeTracker.HasChanges())
        {
            // Nothing else to save with them (a read, a search, a refusal): share a commit with other requests.
            await batcher.AppendAsync([.. audits.Select(Entry)], cancel);
            return;
        }
        if (!gateFirst)
        {
            // The changes first, then the entries under the gate, in one transaction.
            await SaveInTransactionAsync(_ => Task.FromResult((true, audits)), cancel);
            return;
        }
        await head.Gate.WaitAsync(cancel);
        try
        {
            await AppendAsync(audits, cancel);
        }
        finally
        {
            head.Gate.Release();
        }
    }

    /// <summary>
    /// For commands that change rows with SQL statements (bulk updates) as well as tracked entities, and for work made
    /// of several commands: runs <paramref name="work"/> and then saves everything with the audit entries of its
    /// commands and those it returns, in one transaction. The entries are chained onto the trail as it commits.
    /// </summary>
    public async Task<T> SaveInTransactionAsync<T>(Func<CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Audits)>> work, CancellationToken cancel = default)
    {
        if (pending is not null)
        {
            // A command inside a larger transaction (an HL7 message that registers a patient and admits them): it joins
            // that transaction, and commits or rolls back with it.
            var (inner, innerAudits) = await work(cancel);
            await AppendInTransactionAsync(innerAudits, cancel);
            return inner;
        }
        var gated = false;
        if (gateFirst)
        {
            await head.Gate.WaitAsync(cancel);
            gated = true;
        }
        try
        {
            // No savepoints around each SaveChanges: a failure aborts the whole command anyway, and on PostgreSQL
            // each savepoint is two more round trips per save.
            db.Database.AutoSavepointsEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancel);
            pending = [];
            var (result, audits) = await work(cancel);
            pending.AddRange(audits.Select(Entry));
            // Outside the gate on PostgreSQL: a save may wait for another transaction's row lock.
            await db.SaveChangesAsync(cancel);
            if (!gated)
            {
                await head.Gate.WaitAsync(cancel);
                gated = true;
            }
            await CommitChainedAsync(transaction, pending, cancel);
            return result;
        }
        finally
        {
            pending = null;
            inCommitOrder.Clear();
            db.Database.AutoSavepointsEnabled = true;
            if (gated)
            {
                head.Gate.Release();
            }
        }
    }

    /// <summary>Inserts the rows kept in commit order, chains the entries after the head, inserts them and commits; the caller holds the gate.</summary>
    private async Task CommitChainedAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, List<AuditEntry> entries, CancellationToken cancel)
    {
        try
        {
            await RowAppender.AppendEachTypeAsync(db, inCommitOrder, cancel);
            if (entries.Count > 0)
            {
                await head.LinkAsync(db, entries, cancel);
                // Untracked: nothing reads them back, and the work's changes are already saved.
                await RowAppender.AppendAsync(db, typeof(AuditEntry), entries, cancel);
            }
            await transaction.CommitAsync(cancel);
        }
        catch
        {
            // Most likely another server appended first: the head is read again next time.
            head.Forget();
            throw;
        }
        if (entries.Count > 0)
        {
            head.Advance(entries[^1]);
        }
    }

    /// <summary>
    /// Inside a transaction: the command's changes saved now (a later command may read them), or left for the caller's
    /// own save (<see cref="JoinNextSave"/>); its entries wait for the commit.
    /// </summary>
    private async Task AppendInTransactionAsync(IReadOnlyList<AuditEvent> audits, CancellationToken cancel)
    {
        if (!joinNextSave)
        {
            await db.SaveChangesAsync(cancel);
        }
        pending!.AddRange(audits.Select(Entry));
    }

    /// <summary>Chains the entries after the current head and saves them with the pending changes, in one implicit transaction. Caller holds the gate.</summary>
    private async Task AppendAsync(IReadOnlyList<AuditEvent> audits, CancellationToken cancel)
    {
        if (audits.Count == 0)
        {
            await db.SaveChangesAsync(cancel);
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            var entries = audits.Select(Entry).ToList();
            await head.LinkAsync(db, entries, cancel);
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
