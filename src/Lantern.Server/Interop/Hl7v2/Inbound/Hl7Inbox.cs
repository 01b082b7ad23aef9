using System.Threading.Channels;
using Lantern.Server.Audit;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>
/// Store before ACK. Each message received is committed to the inbox with its exact text before any acknowledgement
/// goes back: applied ones in the same transaction as the change they make (so "stored", "applied" and "AA" can never
/// disagree), refused ones on their own, kept for the interface monitor. The sender's control id (MSH-10, with MSH-3
/// and MSH-4) makes a message sent again recognisable: it gets its first answer again and is not applied twice.
/// </summary>
public sealed partial class Hl7Inbox(IServiceScopeFactory scopes, IOptions<Hl7v2Options> options, TimeProvider clock, ILogger<Hl7Inbox> log) : IDisposable
{
    public const string RecordType = "Hl7Message";

    /// <summary>At most this many messages share a commit (each connection has one message in flight, so a batch is at most one per connection).</summary>
    private const int MaxBatch = 64;

    private const string Savepoint = "hl7_message";

    private readonly Channel<Queued> queue = Channel.CreateUnbounded<Queued>();
    private readonly Lock starting = new();
    private Task[]? appliers;

    /// <summary>How long an applier keeps its session with no message waiting.</summary>
    private static readonly TimeSpan SessionIdle = TimeSpan.FromMilliseconds(50);

    /// <summary>What one applier keeps from batch to batch (each applier has its own, and applies one batch at a time).</summary>
    private sealed class Applier
    {
        /// <summary>Whether its last batch went through with no refusal or fault.</summary>
        public bool LastBatchClean = true;

        /// <summary>Its scope and open connection while messages keep coming.</summary>
        public ApplierSession? Session;
    }

    /// <summary>Receives one message (the text inside an MLLP frame) from <paramref name="peer"/>; returns the ACK to send.</summary>
    public async Task<string> ReceiveAsync(string raw, string peer, CancellationToken cancel = default)
    {
        Hl7Message message;
        try
        {
            message = Hl7Message.Parse(raw);
        }
        catch (Er7Exception e)
        {
            var unreadable = Hl7RefusalException.Reject($"Not an HL7 v2 message: {e.Message}", Hl7Acks.SegmentSequenceError);
            await StoreRefusedAsync(null, raw, peer, unreadable, cancel);
            return Ack(null, unreadable);
        }
        if (message.ControlId.Length == 0)
        {
            var refused = Hl7RefusalException.Reject("MSH-10 (message control id) is empty: a message cannot be told from a resend without it", Hl7Acks.RequiredFieldMissing);
            await StoreRefusedAsync(message, raw, peer, refused, cancel);
            return Ack(message, refused);
        }
        // Waits for its batch to commit: the ACK is only ever sent for what is stored.
        var queued = new Queued(message, raw, peer, new TaskCompletionSource<Answer>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(queued))
        {
            throw new InvalidOperationException("The HL7 inbox is shutting down");
        }
        if (Volatile.Read(ref appliers) is null)
        {
            var count = ApplierCount(); // opens a scope: not under the lock
            lock (starting)
            {
                appliers ??= [.. Enumerable.Range(0, count).Select(_ => Task.Run(() => ApplyQueuedAsync(new Applier()), CancellationToken.None))];
            }
        }
        // The ACK's text is made here, on the connection's thread: the applier's is the one the throughput waits on.
        var answer = await queued.Ack.Task.WaitAsync(cancel);
        return Ack(message, answer.Code, answer.ErrorCode, answer.Reason);
    }

    /// <summary>A message waiting for its batch, and the answer its connection waits for.</summary>
    private sealed record Queued(Hl7Message Message, string Raw, string Peer, TaskCompletionSource<Answer> Ack);

    /// <summary>What a message is answered (MSA-1, and for a refusal ERR-3 and the reason).</summary>
    private readonly record struct Answer(string Code, string? ErrorCode = null, string? Reason = null)
    {
        public static readonly Answer Accept = new(AckCode.Accept);

        public static Answer Refused(Hl7RefusalException refused) => new(refused.AckCode, refused.ErrorCode, refused.Message);
    }

    /// <summary>
    /// Group commit: whatever messages are waiting (from any number of connections, up to <see cref="MaxBatch"/>) are
    /// applied in one transaction, each inside its own savepoint, so that one refusal or fault rolls back only itself;
    /// one commit (one flush to disk) then makes them all durable, and only then is each answered.
    /// </summary>
    private async Task ApplyQueuedAsync(Applier applier)
    {
        var batch = new List<Queued>(MaxBatch);
        while (await NextBatchArrivesAsync(applier))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            if (batch.Count == 0)
            {
                continue; // another applier took them
            }
            try
            {
                var acks = await ApplyBatchAsync(applier, batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (acks[i] is { } ack)
                    {
                        batch[i].Ack.TrySetResult(ack);
                    }
                }
            }
            catch (Exception e)
            {
                // The commit itself failed (the database went away): nothing is answered, so every sender sends again.
                LogBatchFailed(log, e, batch.Count);
                batch.ForEach(b => b.Ack.TrySetException(e));
            }
        }
        await EndSessionAsync(applier);
    }

    /// <summary>
    /// Waits for the next message; false once the inbox is shutting down. The applier's session is kept over a short
    /// pause (each connection sends its next message once answered) and given back when the queue stays empty.
    /// </summary>
    private async ValueTask<bool> NextBatchArrivesAsync(Applier applier)
    {
        if (applier.Session is not null && !queue.Reader.TryPeek(out _))
        {
            using var pause = new CancellationTokenSource(SessionIdle);
            try
            {
                return await queue.Reader.WaitToReadAsync(pause.Token);
            }
            catch (OperationCanceledException)
            {
                await EndSessionAsync(applier);
            }
        }
        return await queue.Reader.WaitToReadAsync();
    }

    /// <summary>The applier's session, a new one when there is none or its lifetime is up.</summary>
    private async Task<IServiceProvider> SessionAsync(Applier applier)
    {
        if (applier.Session is { IsOver: false } current)
        {
            return current.Services;
        }
        await EndSessionAsync(applier);
        applier.Session = await ApplierSession.StartAsync(scopes);
        return applier.Session.Services;
    }

    private static async Task EndSessionAsync(Applier applier)
    {
        if (applier.Session is { } ending)
        {
            applier.Session = null;
            await ending.DisposeAsync();
        }
    }

    /// <summary>
    /// Applies a batch in one transaction; each message's ACK, or null where it failed unexpectedly (its sender gets no
    /// answer). While batches are going through cleanly, a batch is first tried whole with no savepoints (on PostgreSQL
    /// each savepoint is two more round trips a message); if any message in it is refused or fails, that attempt is
    /// rolled back and the batch is done again with a savepoint each, and the next batch starts that way too.
    /// </summary>
    private async Task<Answer?[]> ApplyBatchAsync(Applier applier, List<Queued> batch)
    {
        // Hospital numbers for registrations are reserved first: a reservation commits on its own. Most messages name
        // the patient's number, and then no scope is made for it.
        var spareMrns = new string?[batch.Count];
        if (batch.Any(b => NeedsSpareMrn(b.Message)))
        {
            await using var reserving = scopes.CreateAsyncScope();
            for (var i = 0; i < batch.Count; i++)
            {
                if (NeedsSpareMrn(batch[i].Message))
                {
                    ActAsInterface(reserving.ServiceProvider, batch[i].Message, batch[i].Peer);
                    spareMrns[i] = await reserving.ServiceProvider.GetRequiredService<AdtInbound>().SpareMrnAsync(CancellationToken.None);
                }
            }
        }
        if (batch.Count > 1 && applier.LastBatchClean)
        {
            try
            {
                return (await ApplyInOneTransactionAsync(applier, batch, spareMrns, savepoints: false)).Acks;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                applier.LastBatchClean = false;
            }
        }
        var (acks, clean) = await ApplyEachInSavepointAsync(applier, batch, spareMrns);
        applier.LastBatchClean = clean;
        return acks;
    }

    /// <summary>
    /// Every message of the batch in one transaction. With <paramref name="savepoints"/>, each in its own savepoint, so
    /// that a refusal or fault rolls back only itself (it is then kept, and answered, in the same transaction);
    /// without, the first refusal or fault throws and the whole transaction is rolled back. Also whether every message
    /// went through.
    /// </summary>
    private async Task<(Answer?[] Acks, bool Clean)> ApplyInOneTransactionAsync(Applier applier, List<Queued> batch, string?[] spareMrns, bool savepoints)
    {
        var services = await SessionAsync(applier);
        var db = services.GetRequiredService<LanternDb>();
        var trail = services.GetRequiredService<AuditTrail>();
        var acks = new Answer?[batch.Count];
        var clean = true;
        try
        {
            await trail.SaveInTransactionAsync<bool>(async cancel =>
            {
                var transaction = db.Database.CurrentTransaction!;
                // With no savepoints any failure rolls the whole batch back: its inbox rows are inserted in one go
                // before the commit rather than tracked message by message, as its audit entries and outbox events
                // always are (AuditTrail). (A copy of a message taken earlier in the same batch is then not found
                // stored: its row breaks the unique key at that insert, and the batch is done again the careful way,
                // where the copy is answered as a resend.)
                using var collecting = savepoints ? (LanternDb.CollectedAppends?)null : db.CollectAppends();
                var stored = batch.Count == 1 ? null : await StoredAsync(db, batch, cancel);
                for (var i = 0; i < batch.Count; i++)
                {
                    var (message, raw, peer, _) = batch[i];
                    ActAsInterface(services, message, peer);
                    var audited = trail.Mark;
                    if (savepoints)
                    {
                        await transaction.CreateSavepointAsync(Savepoint, cancel);
                    }
                    // Stored before the batch, or earlier in it (applied or kept refused): answered as a resend.
                    var mayBeResend = stored?.Add((message.SendingApplication, message.SendingFacility, message.ControlId)) is not true;
                    // Only this message is undone, with its audit entries.
                    async Task UndoAsync()
                    {
                        clean = false;
                        await transaction.RollbackToSavepointAsync(Savepoint, cancel);
                        db.ChangeTracker.Clear();
                        trail.Discard(audited);
                    }
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            acks[i] = await ReceiveInTransactionAsync(services, message, raw, peer, spareMrns[i], mayBeResend, cancel);
                            break;
                        }
                        catch (Exception e) when (e is not OperationCanceledException && savepoints && !IsDeadlock(e))
                        {
                            await UndoAsync();
                            if (attempt < ConflictAttempts && IsConflict(e))
                            {
                                // Once more, reading what the other transaction left (a copy of this message it stored is
                                // then answered as a resend).
                                mayBeResend = true;
                                continue;
                            }
                            try
                            {
                                acks[i] = await RefusedInTransactionAsync(services, message, raw, peer, e, cancel) ?? Unanswered(batch[i], e);
                            }
                            catch (Exception keeping) when (attempt < ConflictAttempts && IsConflict(keeping))
                            {
                                // A copy of it refused and kept meanwhile by another transaction: once more, as a resend.
                                await UndoAsync();
                                mayBeResend = true;
                                continue;
                            }
                            break;
                        }
                    }
                    if (savepoints)
                    {
                        await transaction.ReleaseSavepointAsync(Savepoint, cancel);
                    }
                    db.ChangeTracker.Clear();
                }
                await db.InsertCollectedAsync(cancel);
                return (true, []);
            }, CancellationToken.None);
        }
        catch
        {
            // Rolled back: whatever the session's context still holds is dropped with it.
            await EndSessionAsync(applier);
            throw;
        }
        return (acks, clean);
    }

    /// <summary>
    /// The careful way: each message in its own savepoint (a message on its own, one connection sending, needs none:
    /// if it is refused, its transaction is undone whole and the refusal kept in one of its own; if it met another
    /// transaction's writes, it is first tried again). Whether every message went through.
    /// </summary>
    private async Task<(Answer?[] Acks, bool Clean)> ApplyEachInSavepointAsync(Applier applier, List<Queued> batch, string?[] spareMrns)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyInOneTransactionAsync(applier, batch, spareMrns, savepoints: batch.Count > 1);
            }
            catch (Exception e) when (attempt < ConflictAttempts && IsConflict(e))
            {
                // Once more, on what the other transaction left. (A deadlock undoes the whole batch: a message tried again
                // in place would meet it again, as the batch still holds the rows its earlier messages wrote.)
            }
            catch (Exception e) when (batch.Count == 1 && e is not OperationCanceledException)
            {
                return await RefuseAloneAsync(batch[0], e);
            }
        }
    }

    /// <summary>How many times in all a message in a batch is tried when it keeps meeting other transactions' writes.</summary>
    private const int ConflictAttempts = 5;

    /// <summary>
    /// Whether a message failed because another transaction wrote the same rows at the same moment (appliers side by
    /// side on PostgreSQL): a row changed meanwhile, a unique key taken meanwhile, a deadlock or a serialization
    /// failure. The other transaction has then committed or is going on: the message is tried again.
    /// </summary>
    private static bool IsConflict(Exception? e) =>
        Causes(e).Any(c => c is DbUpdateConcurrencyException or System.Data.Common.DbException { SqlState: "23505" or "40001" or "40P01" });

    private static bool IsDeadlock(Exception? e) => Causes(e).Any(c => c is System.Data.Common.DbException { SqlState: "40P01" });

    /// <summary>The exception and those inside it: EF Core wraps a failure it takes for transient (a deadlock) once more, in an InvalidOperationException.</summary>
    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>A message on its own whose transaction was undone whole: its refusal kept in one of its own.</summary>
    private async Task<(Answer?[] Acks, bool Clean)> RefuseAloneAsync(Queued item, Exception e)
    {
        await using var again = scopes.CreateAsyncScope();
        var (message, raw, peer, _) = item;
        ActAsInterface(again.ServiceProvider, message, peer);
        Answer? ack;
        try
        {
            ack = await again.ServiceProvider.GetRequiredService<AuditTrail>().SaveInTransactionAsync(async cancel =>
                (await RefusedInTransactionAsync(again.ServiceProvider, message, raw, peer, e, cancel), (IReadOnlyList<AuditEvent>)[]), CancellationToken.None);
        }
        catch (Exception keeping) when (IsConflict(keeping))
        {
            // A copy of it refused and kept meanwhile by another transaction: answered as that copy was.
            await using var resend = scopes.CreateAsyncScope();
            ActAsInterface(resend.ServiceProvider, message, peer);
            ack = await AnswerResendAsync(resend.ServiceProvider.GetRequiredService<LanternDb>(), message, CancellationToken.None);
        }
        return ([ack ?? Unanswered(item, e)], false);
    }

    /// <summary>A message that failed for a reason no ACK can give (a fault, not a refusal): logged, and its sender gets no answer.</summary>
    private Answer? Unanswered(Queued item, Exception e)
    {
        LogFailed(log, e, item.Message.ControlId, item.Message.SendingApplication);
        item.Ack.TrySetException(e);
        return null;
    }

    /// <summary>
    /// The batch's messages already stored (resends), by sender and control id: one query per sending system for the
    /// whole batch instead of one per message. Each message of the batch is added as it is taken, so a copy arriving
    /// twice within the batch is looked up too; one stored by another server meanwhile breaks the unique key, and is
    /// then answered as a resend (<see cref="RefusedInTransactionAsync"/>).
    /// </summary>
    private static async Task<HashSet<(string App, string Facility, string Control)>> StoredAsync(LanternDb db, List<Queued> batch, CancellationToken cancel)
    {
        var stored = new HashSet<(string, string, string)>();
        foreach (var sender in batch.GroupBy(b => (b.Message.SendingApplication, b.Message.SendingFacility)))
        {
            var (app, facility) = sender.Key;
            var controls = sender.Select(b => b.Message.ControlId).Distinct().ToList();
            await foreach (var control in StoredIds.For(db)(db, controls, app, facility).WithCancellation(cancel))
            {
                stored.Add((app, facility, control));
            }
        }
        return stored;
    }

    // Once a batch: compiled. "ControlId != null" first: without it EF Core adds a clause for a null in the list, and
    // PostgreSQL then reads every message of the sender rather than seeking the ids (the clause made it a filter, measured).
    private static readonly PerModel<Func<LanternDb, List<string>, string, string, IAsyncEnumerable<string>>> StoredIds = new(() => EF.CompileAsyncQuery(
        (LanternDb db, List<string> controls, string app, string facility) => db.InboundMessages.AsNoTracking()
            .Where(m => m.ControlId != null && controls.Contains(m.ControlId) && m.SendingApplication == app && m.SendingFacility == facility)
            .Select(m => m.ControlId!)));

    /// <summary>Inside the batch: a resend answered from what is stored, or the message stored and applied.</summary>
    private async Task<Answer> ReceiveInTransactionAsync(IServiceProvider services, Hl7Message message, string raw, string peer, string? spareMrn, bool mayBeResend,
        CancellationToken cancel)
    {
        var db = services.GetRequiredService<LanternDb>();
        if (mayBeResend && await AnswerResendAsync(db, message, cancel) is { } answer)
        {
            return answer;
        }
        var entry = NewEntry(message, raw, peer);
        await ApplyAsync(services, entry, message, spareMrn, cancel);
        return Answer.Accept;
    }

    /// <summary>
    /// After a message's savepoint was rolled back: a refusal (AE, AR) is kept with its reason, in the batch; a
    /// duplicate key means another server stored the same message first, which is then answered as a resend; a
    /// database rule the message breaks is kept as AE. Anything else: null (not answered, logged).
    /// </summary>
    private async Task<Answer?> RefusedInTransactionAsync(IServiceProvider services, Hl7Message message, string raw, string peer, Exception error, CancellationToken cancel)
    {
        var db = services.GetRequiredService<LanternDb>();
        Hl7RefusalException refused;
        switch (error)
        {
            case Hl7RefusalException refusal:
                refused = refusal;
                break;
            case DbUpdateConcurrencyException:
                refused = Hl7RefusalException.ChangedMeanwhile();
                break;
            case DbUpdateException when await AnswerResendAsync(db, message, cancel) is { } answer:
                return answer;
            case DbUpdateException update:
                refused = Hl7RefusalException.Error($"The message could not be stored as sent: {(update.InnerException ?? update).Message}");
                break;
            default:
                return null;
        }
        await KeepRefusedAsync(services, message, raw, peer, refused, cancel);
        return Answer.Refused(refused);
    }

    /// <summary>The first answer again, when this message (sender and control id) is already stored; null when it is new.</summary>
    private async Task<Answer?> AnswerResendAsync(LanternDb db, Hl7Message message, CancellationToken cancel)
    {
        var (app, facility, control) = (message.SendingApplication, message.SendingFacility, message.ControlId);
        if (await db.InboundMessages.FirstOrDefaultAsync(m => m.SendingApplication == app && m.SendingFacility == facility && m.ControlId == control, cancel) is not { } stored)
        {
            return null;
        }
        stored.Resent();
        await db.SaveChangesAsync(cancel);
        LogResend(log, control, app, stored.Status);
        // Answered as the first time, ERR code included (messages stored before codes were kept: 207, application error).
        return stored.Status switch
        {
            InboundStatus.Applied => Answer.Accept,
            InboundStatus.Failed => new Answer(AckCode.Error, stored.ErrorCode ?? Hl7Acks.ApplicationError, stored.Error),
            _ => new Answer(AckCode.Reject, stored.ErrorCode ?? Hl7Acks.ApplicationError, stored.Error),
        };
    }

    /// <summary>A hospital number reserved (committed on its own, outside the message's transaction) when an allowed sender's ADT may register someone new.</summary>
    private async Task<string?> SpareMrnAsync(IServiceProvider services, Hl7Message message, CancellationToken cancel) =>
        NeedsSpareMrn(message) ? await services.GetRequiredService<AdtInbound>().SpareMrnAsync(cancel) : null;

    private bool NeedsSpareMrn(Hl7Message message) => message.Type.Code == "ADT" && IsAllowed(message) && AdtInbound.MayRegisterWithoutMrn(message);

    private bool IsAllowed(Hl7Message message) => options.Value.AllowedSenders.Contains(message.SendingApplication, StringComparer.OrdinalIgnoreCase);

    public void Dispose() => queue.Writer.TryComplete();

    /// <summary>
    /// How many appliers take batches side by side: one on SQLite, whatever is set (one writer at a time: a second would
    /// only wait for the first's commit, and H-041's control is that SQLite applies in arrival order); on PostgreSQL
    /// <see cref="Hl7v2Options.Appliers"/>, else one per core (two to eight), as a batch there spends much of its time
    /// waiting for round trips that another can fill. On two cores, measured: two appliers beat one (registrations by
    /// 14-35%, updates and movements by 40-160%); four were slower than two.
    /// </summary>
    private int ApplierCount()
    {
        using var scope = scopes.CreateScope();
        if (scope.ServiceProvider.GetRequiredService<LanternDb>() is LanternSqliteDb)
        {
            if (options.Value.Appliers is > 1 and var ignored)
            {
                LogOneWriter(log, ignored);
            }
            return 1;
        }
        return options.Value.Appliers is > 0 and var set ? set : Math.Clamp(Environment.ProcessorCount, 2, 8);
    }

    /// <summary>
    /// Applies a stored message that failed or was rejected, again (after the cause was put right: the patient
    /// registered, the sender allowed), as the member of staff asking; true when it now applies.
    /// </summary>
    public async Task<bool> ReplayAsync(IServiceProvider services, long id, CancellationToken cancel = default)
    {
        var db = services.GetRequiredService<LanternDb>();
        var entry = await db.InboundMessages.FirstOrDefaultAsync(m => m.Id == id, cancel);
        if (entry is null || entry.Status == InboundStatus.Applied)
        {
            return false;
        }
        entry.Replayed(clock.GetUtcNow().UtcDateTime);
        try
        {
            var message = Hl7Message.Parse(entry.Raw);
            await ApplyAsync(services, entry, message, await SpareMrnAsync(services, message, cancel), cancel);
            return true;
        }
        catch (Exception e) when (e is Hl7RefusalException or Er7Exception or DbUpdateConcurrencyException)
        {
            // The transaction rolled back: record the new reason (and the attempt) on its own.
            db.ChangeTracker.Clear();
            var again = await db.InboundMessages.FirstAsync(m => m.Id == id, cancel);
            again.Replayed(clock.GetUtcNow().UtcDateTime);
            again.Refused(e switch
            {
                Hl7RefusalException refusal => refusal,
                DbUpdateConcurrencyException => Hl7RefusalException.ChangedMeanwhile(),
                _ => Hl7RefusalException.Reject(e.Message, Hl7Acks.SegmentSequenceError),
            });
            await services.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Update, RecordType,
                $"{again.SendingApplication}/{again.ControlId}", again.PatientId, $"Replayed HL7 message refused again: {e.Message}"), cancel);
            return false;
        }
    }

    /// <summary>
    /// The message stored and applied in one transaction, with its audit entries; any refusal rolls both back. Joins
    /// the transaction it is called in (a batch), or opens its own (a replay from the interface monitor).
    /// </summary>
    internal async Task ApplyAsync(IServiceProvider services, InboundMessage entry, Hl7Message message, string? spareMrn, CancellationToken cancel)
    {
        // A sender Lantern does not take from is refused before anything is opened for it.
        if (!IsAllowed(message))
        {
            throw Hl7RefusalException.Reject($"MSH-3: '{message.SendingApplication}' is not a sending application registered with Lantern", Hl7Acks.ApplicationError);
        }
        var db = services.GetRequiredService<LanternDb>();
        await services.GetRequiredService<AuditTrail>().SaveInTransactionAsync<bool>(async c =>
        {
            // A result points at the message it came in (its id), so an ORU is stored first; any other message is stored
            // once applied, in one insert rather than an insert and an update.
            if (entry.Id == 0 && message.Type.Code == "ORU")
            {
                db.InboundMessages.Add(entry);
            }
            var patient = await ApplyToRecordAsync(services, entry, message, spareMrn, c);
            entry.Applied(patient);
            if (db.Entry(entry).State == EntityState.Detached)
            {
                db.Append(entry);
            }
            return (true, [new AuditEvent(AuditAction.Create, RecordType, $"{message.SendingApplication}/{message.ControlId}", patient,
                $"Applied HL7 {message.Type.Code}^{message.Type.Trigger} from {message.SendingApplication}")]);
        }, cancel);
    }

    private static async Task<Guid?> ApplyToRecordAsync(IServiceProvider services, InboundMessage entry, Hl7Message message, string? spareMrn, CancellationToken cancel) =>
        message.Type switch
        {
            ("ADT", _) => await services.GetRequiredService<AdtInbound>().ApplyAsync(message, spareMrn, cancel),
            ("ORU", "R01") => await services.GetRequiredService<OruInbound>().ApplyAsync(message, entry, cancel),
            var (code, trigger) => throw Hl7RefusalException.Reject($"{code}^{trigger} is not a message type Lantern takes", Hl7Acks.UnsupportedMessageType),
        };

    /// <summary>A message that cannot be read as one, kept (never dropped) in its own transaction.</summary>
    private async Task StoreRefusedAsync(Hl7Message? message, string raw, string peer, Hl7RefusalException refused, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        ActAsInterface(scope.ServiceProvider, message, peer);
        await KeepRefusedAsync(scope.ServiceProvider, message, raw, peer, refused, cancel);
    }

    /// <summary>A refused message kept with its reason and an audit entry (it may hold patient data), in the caller's transaction or its own.</summary>
    private async Task KeepRefusedAsync(IServiceProvider services, Hl7Message? message, string raw, string peer, Hl7RefusalException refused, CancellationToken cancel)
    {
        var entry = NewEntry(message, raw, peer);
        entry.Refused(refused);
        services.GetRequiredService<LanternDb>().InboundMessages.Add(entry);
        await services.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Create, RecordType,
            $"{entry.SendingApplication}/{entry.ControlId}", null, $"Kept HL7 message refused with {refused.AckCode}: {refused.Message}"), cancel);
        LogRefused(log, entry.ControlId, entry.SendingApplication, refused.AckCode, refused.Message);
    }

    private InboundMessage NewEntry(Hl7Message? message, string raw, string peer) =>
        new(message?.SendingApplication ?? "", message?.SendingFacility ?? "", message?.ControlId is { Length: > 0 } id ? id : null,
            message is null ? "" : $"{message.Type.Code}^{message.Type.Trigger}", raw, peer, clock.GetUtcNow().UtcDateTime);

    private string Ack(Hl7Message? message, Hl7RefusalException refused) => Ack(message, refused.AckCode, refused.ErrorCode, refused.Message);

    private string Ack(Hl7Message? message, string code, string? errorCode = null, string? reason = null) =>
        Hl7Acks.For(message, code, errorCode, reason, clock.GetUtcNow().UtcDateTime);

    /// <summary>The sending application acts, from its connection's address.</summary>
    private static void ActAsInterface(IServiceProvider services, Hl7Message? message, string peer) =>
        Hl7Principal.Use(services, $"hl7:{(message?.SendingApplication is { Length: > 0 } app ? app : "unknown")}", peer);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Hl7v2:Appliers is {Set}, but SQLite has one writer at a time: the HL7 inbox applies with one")]
    private static partial void LogOneWriter(ILogger logger, int set);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "A batch of {Count} HL7 messages could not be committed; none was acknowledged, so their senders will send them again")]
    private static partial void LogBatchFailed(ILogger logger, Exception e, int count);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "HL7 message {ControlId} from {Application} failed unexpectedly and was not acknowledged; the rest of its batch went on")]
    private static partial void LogFailed(ILogger logger, Exception e, string controlId, string application);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "HL7 message {ControlId} from {Application} received again: answered as first ({Status})")]
    private static partial void LogResend(ILogger logger, string controlId, string application, InboundStatus status);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "HL7 message {ControlId} from {Application} refused ({Ack}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string? controlId, string application, string ack, string reason);
}
