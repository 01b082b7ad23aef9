using Lantern.Server.Audit;
using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2.Pages;

/// <summary>
/// One received message: its exact text segment by segment, its outcome and reason, and (when it failed or was
/// rejected) a replay. The text holds patient data, so opening it is audited.
/// </summary>
[RequireActivity(Activity.ManageInterfaces)]
public sealed class InterfaceMessageModel(LanternDb db, Hl7Inbox inbox, AuditTrail audit) : PageModel
{
    public InboundMessage Message { get; private set; } = null!;

    [TempData]
    public string? Outcome { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancel)
    {
        if (await db.InboundMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancel) is not { } message)
        {
            return NotFound();
        }
        Message = message;
        await audit.SaveAsync(new AuditEvent(AuditAction.Read, Hl7Inbox.RecordType, $"{message.SendingApplication}/{message.ControlId}", message.PatientId,
            "Interface monitor: message text opened"), cancel);
        return Page();
    }

    public async Task<IActionResult> OnPostReplayAsync(long id, CancellationToken cancel)
    {
        var applied = await inbox.ReplayAsync(HttpContext.RequestServices, id, cancel);
        Outcome = applied ? "Replayed: the message has now been applied." : "Replayed: the message was refused again (reason below).";
        return RedirectToPage(new { id });
    }
}
