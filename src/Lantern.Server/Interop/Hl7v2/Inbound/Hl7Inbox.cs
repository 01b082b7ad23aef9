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
public sealed partial class Hl7Inbox(IServiceScopeFactory scopes, IOptions<Hl7v2Options> options, TimeProvider clock, ILogger<Hl7Inbox> log)
{
    public const string RecordType = "Hl7Message";

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
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReceiveOnceAsync(message, raw, peer, cancel);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // The same message arriving on two connections at once: the second insert hits the control-id key, and
                // the next attempt finds the first one stored.
            }
            catch (DbUpdateException e)
            {
                // Not a duplicate: the change itself breaks a rule of the database. Kept and answered AE, never retried for ever.
                var refused = Hl7RefusalException.Error($"The message could not be stored as sent: {(e.InnerException ?? e).Message}");
                await StoreRefusedAsync(message, raw, peer, refused, cancel);
                return Ack(message, refused);
            }
        }
    }

    private async Task<string> ReceiveOnceAsync(Hl7Message message, string raw, string peer, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        ActAsInterface(services, message, peer);
        var db = services.GetRequiredService<LanternDb>();
        var (app, facility, control) = (message.SendingApplication, message.SendingFacility, message.ControlId);
        if (await db.InboundMessages.FirstOrDefaultAsync(m => m.SendingApplication == app && m.SendingFacility == facility && m.ControlId == control, cancel) is { } stored)
        {
            stored.Resent();
            await db.SaveChangesAsync(cancel);
            LogResend(log, control, app, stored.Status);
            // Answered as the first time, ERR code included (messages stored before codes were kept: 207, application error).
            return stored.Status switch
            {
                InboundStatus.Applied => Ack(message, AckCode.Accept),
                InboundStatus.Failed => Ack(message, AckCode.Error, stored.ErrorCode ?? Hl7Acks.ApplicationError, stored.Error),
                _ => Ack(message, AckCode.Reject, stored.ErrorCode ?? Hl7Acks.ApplicationError, stored.Error),
            };
        }
        var entry = NewEntry(message, raw, peer);
        try
        {
            await ApplyAsync(services, entry, message, cancel);
            return Ack(message, AckCode.Accept);
        }
        catch (Hl7RefusalException refused)
        {
            await StoreRefusedAsync(message, raw, peer, refused, cancel);
            return Ack(message, refused);
        }
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
            await ApplyAsync(services, entry, Hl7Message.Parse(entry.Raw), cancel);
            return true;
        }
        catch (Exception e) when (e is Hl7RefusalException or Er7Exception)
        {
            // The transaction rolled back: record the new reason (and the attempt) on its own.
            db.ChangeTracker.Clear();
            var again = await db.InboundMessages.FirstAsync(m => m.Id == id, cancel);
            again.Replayed(clock.GetUtcNow().UtcDateTime);
            again.Refused(e as Hl7RefusalException ?? Hl7RefusalException.Reject(e.Message, Hl7Acks.SegmentSequenceError));
            await services.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Update, RecordType,
                $"{again.SendingApplication}/{again.ControlId}", again.PatientId, $"Replayed HL7 message refused again: {e.Message}"), cancel);
            return false;
        }
    }

    /// <summary>The message stored and applied in one transaction, with its audit entries; any refusal rolls both back.</summary>
    internal async Task ApplyAsync(IServiceProvider services, InboundMessage entry, Hl7Message message, CancellationToken cancel)
    {
        // A sender Lantern does not take from is refused before anything is reserved or opened for it.
        if (!options.Value.AllowedSenders.Contains(message.SendingApplication, StringComparer.OrdinalIgnoreCase))
        {
            throw Hl7RefusalException.Reject($"MSH-3: '{message.SendingApplication}' is not a sending application registered with Lantern", Hl7Acks.ApplicationError);
        }
        var db = services.GetRequiredService<LanternDb>();
        var audit = services.GetRequiredService<AuditTrail>();
        var spareMrn = message.Type.Code == "ADT" ? await services.GetRequiredService<AdtInbound>().SpareMrnAsync(message, cancel) : null;
        await audit.SaveInTransactionAsync<bool>(async c =>
        {
            if (entry.Id == 0)
            {
                db.InboundMessages.Add(entry);
            }
            var patient = await ApplyToRecordAsync(services, entry, message, spareMrn, c);
            entry.Applied(patient);
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

    /// <summary>A refused message, kept (never dropped) in its own transaction, with an audit entry: it may hold patient data.</summary>
    private async Task StoreRefusedAsync(Hl7Message? message, string raw, string peer, Hl7RefusalException refused, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        ActAsInterface(scope.ServiceProvider, message, peer);
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var entry = NewEntry(message, raw, peer);
        entry.Refused(refused);
        db.InboundMessages.Add(entry);
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Create, RecordType,
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

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "HL7 message {ControlId} from {Application} received again: answered as first ({Status})")]
    private static partial void LogResend(ILogger logger, string controlId, string application, InboundStatus status);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "HL7 message {ControlId} from {Application} refused ({Ack}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string? controlId, string application, string ack, string reason);
}
