using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Lantern.Server.Audit;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Hl7v2.Mllp;
using Lantern.Server.Platform.Messaging;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lantern.Server.Interop.Hl7v2.Outbound;

/// <summary>
/// Sends the inpatient module's outbox to each configured destination over MLLP: one event at a time, in outbox
/// order (so each patient's events arrive in the order they happened), the next only once the last is answered.
/// AA: sent. AE: the destination will not take it; kept as refused for the monitor, and the queue moves on for other
/// patients while this patient's later events are held until an administrator sends it again or passes over it
/// (<see cref="Pages.InterfaceMonitorModel"/>). No answer, a lost connection or AR: the same event is tried again,
/// after a pause that grows to a minute. What a
/// destination has had is recorded (with the message and its ACK, audited as a disclosure) in the same transaction
/// that moves its queue on, so a restart neither loses nor repeats an acknowledged event.
/// </summary>
public sealed partial class AdtSender(IServiceScopeFactory scopes, IOptions<Hl7v2Options> options, TimeProvider clock, ILogger<AdtSender> log) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500), MaxPause = TimeSpan.FromMinutes(1), AckTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Why each destination is not moving, for the monitor (null when it is keeping up).</summary>
    public ConcurrentDictionary<string, string?> Problems { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A destination new to this database joins here, before the server takes any request or message (hosted services
    /// start before the web server, and this one before the MLLP listener): every event after this moment is its own.
    /// Joining later, on the sender's first look at its queue, lost the events the server made in between.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var to in options.Value.Destinations.Where(d => !d.SendHistory))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
            if (!await db.OutboundMessages.AnyAsync(m => m.Destination == to.Name, cancellationToken))
            {
                await JoinAsync(to, await db.Outbox.MaxAsync(o => (long?)o.Id, cancellationToken) ?? 0, cancellationToken);
            }
        }
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Value.Destinations.Select(d => Task.Run(() => SendAllAsync(d, stoppingToken), stoppingToken)));

    private async Task SendAllAsync(Hl7Destination to, CancellationToken stopping)
    {
        var line = new Line();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                // Events an administrator sent again (and those held behind them) go first.
                if (await NextQueuedAsync(to, stopping) is { } queued)
                {
                    var (raw, accepted, ack, attempts) = await DeliverAsync(to, line, queued.Event, stopping);
                    await AnsweredAsync(to, queued.RecordId, queued.Event, raw, accepted, ack, attempts, stopping);
                    continue;
                }
                if (await NextAsync(to, stopping) is not { } next)
                {
                    await Task.Delay(Idle, stopping);
                    continue;
                }
                if (next.RecordedBy == $"hl7:{to.ReceivingApplication}")
                {
                    await RecordAsync(to, next, "", OutboundStatus.Skipped, null, 0, stopping);
                }
                else if (await WaitsBehindAsync(to, next.PatientId, stopping) is { } waiting)
                {
                    await RecordAsync(to, next, "", waiting, null, 0, stopping);
                }
                else
                {
                    var (raw, accepted, ack, attempts) = await DeliverAsync(to, line, next, stopping);
                    await RecordAsync(to, next, raw, accepted ? OutboundStatus.Sent : OutboundStatus.Refused, ack, attempts, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            if (line.Client is not null)
            {
                await line.Client.DisposeAsync();
            }
        }
    }

    /// <summary>A destination's connection, kept between events and dropped when it fails.</summary>
    private sealed class Line
    {
        public MllpClient? Client { get; set; }
    }

    /// <summary>
    /// Sends one event until the destination answers it AA (accepted: true) or AE (false): no answer, a lost connection
    /// or AR is tried again after a growing pause. Also the message text, the ACK and the tries it took.
    /// </summary>
    private async Task<(string Raw, bool Accepted, string Ack, int Attempts)> DeliverAsync(Hl7Destination to, Line line, OutboxMessage next, CancellationToken stopping)
    {
        var raw = AdtMessages.Build(next, to, clock.GetUtcNow().UtcDateTime);
        for (var attempt = 1; ; attempt++)
        {
            string? ack = null;
            try
            {
                line.Client ??= await MllpClient.ConnectAsync(to.Host, to.Port, to.TlsHost, trustedRoots: TrustedRoots(to), cancel: stopping);
                ack = await line.Client.SendAsync(raw, AckTimeout, stopping);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException
                or System.Security.Cryptography.CryptographicException && !stopping.IsCancellationRequested)
            {
                // A connection that failed mid-message is not trusted with the next one. (An unreadable trusted-root file
                // is shown on the monitor and tried again, rather than stopping the sender.)
                if (line.Client is not null)
                {
                    await line.Client.DisposeAsync();
                    line.Client = null;
                }
                Problems[to.Name] = $"Event {next.Id} ({next.EventType}): {e.Message}";
            }
            var code = ack is null ? null : AckCodeOf(ack);
            if (code is AckCode.Accept or AckCode.Error)
            {
                Problems[to.Name] = null;
                return (raw, code == AckCode.Accept, ack!, attempt);
            }
            if (ack is not null)
            {
                Problems[to.Name] = $"Event {next.Id} ({next.EventType}) answered {code ?? "with no MSA"}: trying again";
            }
            LogRetry(log, to.Name, next.Id, attempt, Problems[to.Name]);
            await Task.Delay(Pause(attempt), stopping);
        }
    }

    /// <summary>1, 2, 4 … seconds, at most a minute.</summary>
    public static TimeSpan Pause(int attempt) => TimeSpan.FromSeconds(Math.Min(MaxPause.TotalSeconds, Math.Pow(2, Math.Min(attempt - 1, 6))));

    /// <summary>The destination's own root of trust, read from its file each connection (a renewed certificate needs no restart).</summary>
    private static X509Certificate2Collection? TrustedRoots(Hl7Destination to) =>
        to.TlsTrustedRootPath is { } path ? [X509CertificateLoader.LoadCertificateFromFile(path)] : null;

    private static string? AckCodeOf(string ack)
    {
        try
        {
            return Er7Parser.Parse(ack).Segment("MSA")?.ValueOrNull(1);
        }
        catch (Er7Exception)
        {
            return null;
        }
    }

    /// <summary>The first outbox event this destination has not had (after where it joined, see <see cref="StartAsync"/>).</summary>
    private async Task<OutboxMessage?> NextAsync(Hl7Destination to, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var last = await db.OutboundMessages.Where(m => m.Destination == to.Name).MaxAsync(m => (long?)m.OutboxId, cancel);
        return await db.Outbox.AsNoTracking().Where(o => o.Id > (last ?? 0)).OrderBy(o => o.Id).FirstOrDefaultAsync(cancel);
    }

    /// <summary>
    /// Whether the patient's next event must wait (H-036): held while one of their events is refused by this destination (or
    /// held), so that it never gets a transfer for an admission it refused; queued behind their events being sent again.
    /// Null: send it now.
    /// </summary>
    private async Task<OutboundStatus?> WaitsBehindAsync(Hl7Destination to, Guid? patientId, CancellationToken cancel)
    {
        if (patientId is null)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var waiting = await scope.ServiceProvider.GetRequiredService<LanternDb>().OutboundMessages
            .Where(OutboundMessage.NotThrough).Where(m => m.Destination == to.Name && m.PatientId == patientId)
            .Select(m => m.Status).Distinct().ToListAsync(cancel);
        return waiting.Count == 0 ? null : waiting.Contains(OutboundStatus.Queued) && waiting.Count == 1 ? OutboundStatus.Queued : OutboundStatus.Held;
    }

    /// <summary>The first event (in outbox order) this destination is to be sent again, with the record of it.</summary>
    private async Task<(long RecordId, OutboxMessage Event)?> NextQueuedAsync(Hl7Destination to, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var queued = await db.OutboundMessages.Where(m => m.Destination == to.Name && m.Status == OutboundStatus.Queued).OrderBy(m => m.OutboxId)
            .Select(m => new { m.Id, m.OutboxId }).FirstOrDefaultAsync(cancel);
        return queued is null ? null : (queued.Id, await db.Outbox.AsNoTracking().FirstAsync(o => o.Id == queued.OutboxId, cancel));
    }

    /// <summary>A queued event's answer, on its record; refused again, the patient's other queued events are held again behind it.</summary>
    private async Task AnsweredAsync(Hl7Destination to, long recordId, OutboxMessage sent, string raw, bool accepted, string ack, int attempts, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        Hl7Principal.Use(scope.ServiceProvider, $"hl7-out:{to.Name}", null);
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var record = await db.OutboundMessages.FirstAsync(m => m.Id == recordId, cancel);
        record.Answered(raw, accepted ? OutboundStatus.Sent : OutboundStatus.Refused, ack, clock.GetUtcNow().UtcDateTime, attempts);
        if (!accepted)
        {
            LogRefused(log, to.Name, sent.EventType, sent.Id);
        }
        var others = await db.OutboundMessages.Where(OutboundMessage.NotThrough)
            .Where(m => m.Destination == to.Name && m.PatientId == sent.PatientId && m.Id != recordId).ToListAsync(cancel);
        foreach (var other in others)
        {
            if (!accepted && other.Status == OutboundStatus.Queued)
            {
                other.Hold();
            }
            else if (accepted && other.Status == OutboundStatus.Held && others.All(o => o.Status != OutboundStatus.Refused))
            {
                other.Requeue(); // held while its release was being recorded: nothing refused is left before it
            }
        }
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Export, Hl7Inbox.RecordType,
            $"out/{to.Name}/{sent.Id}", sent.PatientId, accepted ? $"Sent ADT^{sent.EventType} to {to.Name} (sent again)" : $"ADT^{sent.EventType} refused again by {to.Name} (AE)"), cancel);
    }

    /// <summary>
    /// Records where a new destination starts: after <paramref name="newest"/>, the history before it not sent
    /// (recorded even over an empty outbox, after event 0, so that the events that come next are all sent).
    /// </summary>
    private async Task JoinAsync(Hl7Destination to, long newest, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        Hl7Principal.Use(scope.ServiceProvider, $"hl7-out:{to.Name}", null);
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        db.OutboundMessages.Add(new OutboundMessage(to.Name, newest, null, "", "", OutboundStatus.Joined, null, clock.GetUtcNow().UtcDateTime, 0));
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Create, Hl7Inbox.RecordType, $"out/{to.Name}", null,
            $"New HL7 destination {to.Name} starts after outbox event {newest}: the events before it are not sent (SendHistory is off)"), cancel);
    }

    private async Task RecordAsync(Hl7Destination to, OutboxMessage sent, string raw, OutboundStatus status, string? ack, int attempts, CancellationToken cancel)
    {
        await using var scope = scopes.CreateAsyncScope();
        Hl7Principal.Use(scope.ServiceProvider, $"hl7-out:{to.Name}", null);
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        db.OutboundMessages.Add(new OutboundMessage(to.Name, sent.Id, sent.PatientId, sent.EventType, raw, status, ack, clock.GetUtcNow().UtcDateTime, attempts));
        if (status == OutboundStatus.Refused)
        {
            LogRefused(log, to.Name, sent.EventType, sent.Id);
        }
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Export, Hl7Inbox.RecordType,
            $"out/{to.Name}/{sent.Id}", sent.PatientId, status switch
            {
                OutboundStatus.Sent => $"Sent ADT^{sent.EventType} to {to.Name}",
                OutboundStatus.Refused => $"ADT^{sent.EventType} refused by {to.Name} (AE)",
                OutboundStatus.Held => $"ADT^{sent.EventType} held for {to.Name}: an earlier event for the patient was refused",
                OutboundStatus.Queued => $"ADT^{sent.EventType} queued for {to.Name} behind the patient's events being sent again",
                _ => $"ADT^{sent.EventType} not sent to {to.Name}: the change came from it",
            }), cancel);
    }

    // An error, for the trust's log monitoring: the patient's later events wait for a person (H-036); the home page of
    // anyone who manages the interfaces says so too (RefusedEventsNotice).
    [LoggerMessage(EventId = 3121, Level = LogLevel.Error, Message = "ADT to {Destination}: ADT^{EventType} (outbox event {OutboxId}) refused (AE); the patient's later events for it are held until it is sent again or passed over on the interface monitor")]
    private static partial void LogRefused(ILogger logger, string destination, string eventType, long outboxId);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "ADT to {Destination}: event {OutboxId} not acknowledged (attempt {Attempt}): {Problem}")]
    private static partial void LogRetry(ILogger logger, string destination, long outboxId, int attempt, string? problem);
}
