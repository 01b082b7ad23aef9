using Lantern.Server.Home;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2.Outbound;

/// <summary>
/// On the home page of whoever manages the interfaces: outbound events a receiving system refused, and the patients'
/// later events held behind them, until each refusal is sent again or passed over (H-036). Counts only.
/// </summary>
internal sealed class RefusedEventsNotice : IAttentionNotice
{
    public Activity Activity => Activity.ManageInterfaces;

    public async Task<Notice?> CheckAsync(LanternDb db, CancellationToken cancel)
    {
        var waiting = await db.OutboundMessages.Where(m => m.Status == OutboundStatus.Refused || m.Status == OutboundStatus.Held)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancel);
        var refused = waiting.Where(w => w.Key == OutboundStatus.Refused).Sum(w => w.Count);
        if (refused == 0)
        {
            return null;
        }
        var held = waiting.Where(w => w.Key == OutboundStatus.Held).Sum(w => w.Count);
        var behind = held == 0 ? "" : $", and {Events(held)} for the same patients held behind {(refused == 1 ? "it" : "them")}";
        return new Notice("Outbound interface events refused",
            $"{Events(refused)} refused by a receiving system{behind}: that system's picture of those patients stays out of date " +
            "until each refusal is sent again or passed over.",
            "/admin/interfaces", "Open the interface monitor");
    }

    private static string Events(int count) => count == 1 ? "1 event" : $"{count} events";
}
