using Lantern.Server.Audit;
using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Server.Interop.Hl7v2.Outbound;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2.Pages;

/// <summary>
/// One event as sent to a destination: the message text and the ACK that came back (for a refusal, the destination's
/// reason). The text holds patient data, so opening it is audited.
/// </summary>
[RequireActivity(Activity.ManageInterfaces)]
public sealed class InterfaceOutboundMessageModel(LanternDb db, AuditTrail audit) : PageModel
{
    public OutboundMessage Message { get; private set; } = null!;

    public string? Mrn { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancel)
    {
        if (await db.OutboundMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.Status != OutboundStatus.Joined, cancel) is not { } message)
        {
            return NotFound();
        }
        Message = message;
        Mrn = await db.Patients.Where(p => p.Id == message.PatientId).Select(p => p.Mrn).FirstOrDefaultAsync(cancel);
        await audit.SaveAsync(new AuditEvent(AuditAction.Read, Hl7Inbox.RecordType, $"out/{message.Destination}/{message.OutboxId}", message.PatientId,
            "Interface monitor: outbound message text opened"), cancel);
        return Page();
    }
}
