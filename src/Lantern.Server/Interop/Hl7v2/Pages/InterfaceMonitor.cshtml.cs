using Lantern.Server.Audit;
using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Server.Interop.Hl7v2.Outbound;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lantern.Server.Interop.Hl7v2.Pages;

/// <summary>
/// The interface monitor: what arrived over HL7 v2 and what became of it (newest first, refusals first when asked),
/// and the inpatient events waiting to go out: an event a destination refused, with the patient's events held behind
/// it, is sent again or passed over from here (H-036). For the system administrator on call for the interfaces.
/// </summary>
[RequireActivity(Activity.ManageInterfaces)]
public sealed class InterfaceMonitorModel(LanternDb db, IOptions<Hl7v2Options> options, IServiceProvider services, AuditTrail audit, TimeProvider clock) : PageModel
{
    /// <summary>
    /// One destination's queue: events sent and not sent back to their source over the last day, refused and held
    /// behind a refused one (in all), waiting, and why it is stuck; <paramref name="JoinedAfter"/>: the outbox event it
    /// started after, when it was not sent the history.
    /// </summary>
    public sealed record Destination(string Name, string Address, int Sent, int Refused, int Held, int Skipped, int Waiting, string? Problem, long? JoinedAfter);

    /// <summary>An outbound event refused, held or queued to go again, with the destination's reason for a refusal.</summary>
    public sealed record Stuck(long Id, string Destination, long OutboxId, string EventType, string? Mrn, OutboundStatus Status, DateTime At, string? Reason);

    public IReadOnlyList<Stuck> StuckEvents { get; private set; } = [];

    [TempData]
    public string? Outcome { get; set; }

    public sealed record Row(long Id, DateTime ReceivedAt, string Sender, string MessageType, string? ControlId, InboundStatus Status, string? Error, int Resends);

    /// <summary>Messages applied over the last day; failed (AE) and rejected (AR) in all, as each waits for someone.</summary>
    public sealed record Counts(int AppliedLastDay, int Failed, int Rejected);

    /// <summary>
    /// What went through is counted over the last day, and what waits for someone in all: every figure is read through
    /// an index, not by counting every message ever kept (a trust's feeds bring tens of millions a year).
    /// </summary>
    private static readonly TimeSpan LastDay = TimeSpan.FromHours(24);

    [BindProperty(SupportsGet = true)]
    public InboundStatus? Status { get; set; }

    public IReadOnlyList<Row> Messages { get; private set; } = [];

    public Counts Totals { get; private set; } = new(0, 0, 0);

    public IReadOnlyList<Destination> Destinations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancel)
    {
        var query = db.InboundMessages.AsNoTracking();
        if (Status is { } status)
        {
            query = query.Where(m => m.Status == status);
        }
        // Newest first by time received, which the (status, time) index gives in order when a status is chosen.
        Messages = await query.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(200)
            .Select(m => new Row(m.Id, m.ReceivedAt, m.SendingApplication + (m.SendingFacility == "" ? "" : "/" + m.SendingFacility), m.MessageType,
                m.ControlId, m.Status, m.Error, m.Resends)).ToListAsync(cancel);
        var since = clock.GetUtcNow().UtcDateTime - LastDay;
        Totals = new(await db.InboundMessages.CountAsync(m => m.Status == InboundStatus.Applied && m.ReceivedAt >= since, cancel),
            await db.InboundMessages.CountAsync(m => m.Status == InboundStatus.Failed, cancel),
            await db.InboundMessages.CountAsync(m => m.Status == InboundStatus.Rejected, cancel));
        var problems = services.GetService<Outbound.AdtSender>()?.Problems;
        var destinations = new List<Destination>();
        foreach (var d in options.Value.Destinations)
        {
            var ofDestination = db.OutboundMessages.Where(m => m.Destination == d.Name);
            var lastDay = await ofDestination.Where(m => m.SentAt >= since && (m.Status == OutboundStatus.Sent || m.Status == OutboundStatus.Skipped))
                .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancel);
            var outstanding = await ofDestination.Where(m => m.Status == OutboundStatus.Refused || m.Status == OutboundStatus.Held)
                .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancel);
            int Had(OutboundStatus s) => lastDay.Concat(outstanding).FirstOrDefault(h => h.Key == s)?.Count ?? 0;
            var last = await ofDestination.MaxAsync(m => (long?)m.OutboxId, cancel) ?? 0;
            destinations.Add(new(d.Name, $"{d.Host}:{d.Port}", Had(OutboundStatus.Sent), Had(OutboundStatus.Refused), Had(OutboundStatus.Held),
                Had(OutboundStatus.Skipped), await db.Outbox.CountAsync(o => o.Id > last, cancel), problems?.GetValueOrDefault(d.Name),
                await ofDestination.Where(m => m.Status == OutboundStatus.Joined).OrderByDescending(m => m.SentAt).Select(m => (long?)m.OutboxId).FirstOrDefaultAsync(cancel)));
        }
        Destinations = destinations;
        var stuck = await db.OutboundMessages.AsNoTracking()
            .Where(OutboundMessage.NotThrough)
            .OrderBy(m => m.Destination).ThenBy(m => m.OutboxId).Take(200)
            .Select(m => new { m.Id, m.Destination, m.OutboxId, m.EventType, Mrn = db.Patients.Where(p => p.Id == m.PatientId).Select(p => p.Mrn).FirstOrDefault(),
                m.Status, m.SentAt, m.Ack })
            .ToListAsync(cancel);
        StuckEvents = [.. stuck.Select(m => new Stuck(m.Id, m.Destination, m.OutboxId, m.EventType, m.Mrn, m.Status, m.SentAt, ReasonOf(m.Ack)))];
    }

    /// <summary>A refused event to be sent again, first, with the patient's events held behind it after it, in order.</summary>
    public Task<IActionResult> OnPostSendAgainAsync(long id, CancellationToken cancel) => ReleaseAsync(id, OutboundStatus.Refused, cancel);

    /// <summary>A refused event not to be sent: the patient's events held behind it go on without it.</summary>
    public Task<IActionResult> OnPostPassOverAsync(long id, CancellationToken cancel) => ReleaseAsync(id, null, cancel);

    /// <summary>A held event sent now (one left held with nothing refused before it any more).</summary>
    public Task<IActionResult> OnPostSendHeldAsync(long id, CancellationToken cancel) => ReleaseAsync(id, OutboundStatus.Held, cancel);

    /// <summary>
    /// Sends again (<paramref name="resend"/>: the status the event must have) or passes over (null) one event, and
    /// releases the events held behind it for that patient and destination, in one audited save.
    /// </summary>
    private async Task<IActionResult> ReleaseAsync(long id, OutboundStatus? resend, CancellationToken cancel)
    {
        var expected = resend ?? OutboundStatus.Refused;
        if (await db.OutboundMessages.FirstOrDefaultAsync(m => m.Id == id, cancel) is not { } chosen || chosen.Status != expected)
        {
            Outcome = "That event is no longer waiting for a decision: the list below is up to date.";
            return RedirectToPage();
        }
        var what = $"ADT^{chosen.EventType} (outbox event {chosen.OutboxId}) for {chosen.Destination}";
        if (resend is null)
        {
            chosen.PassOver();
        }
        else
        {
            chosen.Requeue();
        }
        var held = await db.OutboundMessages.Where(m => m.Destination == chosen.Destination && m.PatientId == chosen.PatientId && m.Status == OutboundStatus.Held && m.Id != id)
            .ToListAsync(cancel);
        held.ForEach(h => h.Requeue());
        var detail = (resend is null ? $"Passed over refused {what}" : $"Sent again: {what}") + $"; {held.Count} held event(s) for the patient released";
        await audit.SaveAsync(new AuditEvent(AuditAction.Update, Hl7Inbox.RecordType, $"out/{chosen.Destination}/{chosen.OutboxId}", chosen.PatientId, detail), cancel);
        Outcome = detail + ".";
        return RedirectToPage();
    }

    /// <summary>The destination's reason for an AE (ERR-8, else MSA-3), as it gave it.</summary>
    private static string? ReasonOf(string? ack)
    {
        if (ack is null)
        {
            return null;
        }
        try
        {
            var message = Lantern.Hl7v2.Er7.Er7Parser.Parse(ack);
            return message.Segment("ERR")?.ValueOrNull(8) ?? message.Segment("MSA")?.ValueOrNull(3);
        }
        catch (Lantern.Hl7v2.Er7.Er7Exception)
        {
            return ack;
        }
    }
}
