using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lantern.Server.Interop.Hl7v2.Pages;

/// <summary>
/// The interface monitor: what arrived over HL7 v2 and what became of it (newest first, refusals first when asked),
/// and the inpatient events waiting to go out. For the system administrator on call for the interfaces.
/// </summary>
[RequireActivity(Activity.ManageInterfaces)]
public sealed class InterfaceMonitorModel(LanternDb db, IOptions<Hl7v2Options> options, IServiceProvider services) : PageModel
{
    /// <summary>One destination's queue: events had (sent, refused, not sent back to their source), waiting, and why it is stuck.</summary>
    /// <summary>A destination's queue; <paramref name="JoinedAfter"/>: the outbox event it started after, when it was not sent the history.</summary>
    public sealed record Destination(string Name, string Address, int Sent, int Refused, int Skipped, int Waiting, string? Problem, long? JoinedAfter);

    public sealed record Row(long Id, DateTime ReceivedAt, string Sender, string MessageType, string? ControlId, InboundStatus Status, string? Error, int Resends);

    public sealed record Counts(int Applied, int Failed, int Rejected);

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
        Messages = await query.OrderByDescending(m => m.Id).Take(200)
            .Select(m => new Row(m.Id, m.ReceivedAt, m.SendingApplication + (m.SendingFacility == "" ? "" : "/" + m.SendingFacility), m.MessageType,
                m.ControlId, m.Status, m.Error, m.Resends)).ToListAsync(cancel);
        var byStatus = await db.InboundMessages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancel);
        int Of(InboundStatus s) => byStatus.FirstOrDefault(b => b.Key == s)?.Count ?? 0;
        Totals = new(Of(InboundStatus.Applied), Of(InboundStatus.Failed), Of(InboundStatus.Rejected));
        var problems = services.GetService<Outbound.AdtSender>()?.Problems;
        var destinations = new List<Destination>();
        foreach (var d in options.Value.Destinations)
        {
            var had = await db.OutboundMessages.Where(m => m.Destination == d.Name).GroupBy(m => m.Status)
                .Select(g => new { g.Key, Count = g.Count(), Last = g.Max(m => m.OutboxId) }).ToListAsync(cancel);
            var last = had.Count == 0 ? 0 : had.Max(h => h.Last);
            int Had(Outbound.OutboundStatus s) => had.FirstOrDefault(h => h.Key == s)?.Count ?? 0;
            destinations.Add(new(d.Name, $"{d.Host}:{d.Port}", Had(Outbound.OutboundStatus.Sent), Had(Outbound.OutboundStatus.Refused), Had(Outbound.OutboundStatus.Skipped),
                await db.Outbox.CountAsync(o => o.Id > last, cancel), problems?.GetValueOrDefault(d.Name),
                had.FirstOrDefault(h => h.Key == Outbound.OutboundStatus.Joined)?.Last));
        }
        Destinations = destinations;
    }
}
