using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// Rows that are only ever added, never changed in the unit of work that adds them: the HL7 inbox's rows. A batch that
/// commits many commands at once (the HL7 inbox) collects them and inserts them untracked before it commits: tracked,
/// each cost as much as a row of the change it went with (measured). Audit entries and outbox events are always
/// inserted that way, by the audit trail as their transaction commits.
/// </summary>
public abstract partial class LanternDb
{
    /// <summary>While a batch collects them, rows appended and not yet inserted, in the order appended.</summary>
    private List<object>? collected;

    /// <summary>Whether appended rows are being collected (<see cref="CollectAppends"/>) rather than tracked.</summary>
    public bool CollectsAppends => collected is not null;

    /// <summary>
    /// Adds a row that is only ever added: tracked and saved with the rest, as <c>Add</c> does, or, while a batch collects
    /// them, held back for <see cref="InsertCollectedAsync"/>. Nothing may read a collected row back before then.
    /// </summary>
    public void Append<T>(T row) where T : class
    {
        if (collected is null)
        {
            Add(row);
        }
        else
        {
            collected.Add(row);
        }
    }

    /// <summary>
    /// Adds a row that is only ever added and takes CPU to make (a resource's JSON): while a batch collects rows, it is
    /// made on another thread while the batch goes on, and inserted with the rest (the batch's thread is the one the
    /// throughput waits on, with cores to spare beside it); otherwise made now and added as <see cref="Append{T}"/> does.
    /// Everything <paramref name="make"/> reads must no longer change.
    /// </summary>
    public void AppendMadeAside<T>(Func<T> make) where T : class
    {
        if (collected is null)
        {
            Add(make());
        }
        else
        {
            collected.Add(Task.Run<object>(make));
        }
    }

    /// <summary>
    /// A new row inserted at once, below the change tracker, in the current transaction, and then tracked as saved, so
    /// that a later change to it in this unit of work is saved as an update: one statement rather than EF Core's save
    /// pipeline, which was a third of an HL7 registration's time on the batch's thread (profiled). For a type
    /// <see cref="RowAppender"/> can write, whose owned collections are still empty.
    /// </summary>
    public async Task InsertNowAsync<T>(T row, CancellationToken cancel) where T : class
    {
        try
        {
            await RowAppender.AppendAsync(this, typeof(T), [row], cancel);
        }
        catch (System.Data.Common.DbException e)
        {
            // As SaveChanges reports it, so that callers tell a broken rule (a number already held) the same way.
            throw new DbUpdateException($"The new {typeof(T).Name} could not be inserted: {e.Message}", e);
        }
        Entry(row).State = EntityState.Unchanged;
    }

    /// <summary>
    /// Inside a transaction that commits or rolls back as one, until disposed: appended rows are collected. Rows still
    /// collected when it is disposed are dropped: the transaction did not get as far as inserting them.
    /// </summary>
    public CollectedAppends CollectAppends()
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Appends are collected inside a transaction, which commits or rolls back all of them");
        }
        collected = [];
        return new CollectedAppends(this);
    }

    /// <summary>Inserts the rows collected so far, each type's in the order appended (an outbox keeps its order).</summary>
    public async Task InsertCollectedAsync(CancellationToken cancel)
    {
        if (collected is not { Count: > 0 } rows)
        {
            return;
        }
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is Task<object> made)
            {
                rows[i] = await made;
            }
        }
        await RowAppender.AppendEachTypeAsync(this, rows, cancel);
        rows.Clear();
    }

    public readonly struct CollectedAppends(LanternDb db) : IDisposable
    {
        public void Dispose() => db.collected = null;
    }
}
