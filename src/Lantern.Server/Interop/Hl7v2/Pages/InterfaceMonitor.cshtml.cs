using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2.Pages;

/// <summary>
/// The interface monitor: what arrived over HL7 v2 and what became of it (newest first, refusals first when asked),
/// and the inpatient events waiting to go out. For the system administrator on call for the interfaces.
/// </summary>
[RequireActivity(Activity.ManageInterfaces)]
public sealed class InterfaceMonitorModel(LanternDb db) : PageModel
{
    public sealed record Row(long Id, DateTime ReceivedAt, string Sender, string MessageType, string? ControlId, InboundStatus Status, string? Error, int Resends);

    public sealed record Counts(int Applied, int Failed, int Rejected, int OutboundWaiting, int OutboundSent);

    [BindProperty(SupportsGet = true)]
    public InboundStatus? Status { get; set; }

    public IReadOnlyList<Row> Messages { get; private set; } = [];

    public Counts Totals { get; private set; } = new(0, 0, 0, 0, 0);

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
        Totals = new(Of(InboundStatus.Applied), Of(InboundStatus.Failed), Of(InboundStatus.Rejected),
            await db.Outbox.CountAsync(o => o.DispatchedAt == null, cancel), await db.Outbox.CountAsync(o => o.DispatchedAt != null, cancel));
    }
}
