using Lantern.Server.Audit;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Pages;

/// <summary>"Who has looked at my record?": every audited access to one patient, newest first, for the IG officer.</summary>
[RequireActivity(Activity.ViewAudit)]
public sealed class AccessReportModel(LanternDb db, AuditTrail audit) : PageModel
{
    public const int PageSize = 500;

    public Patient Patient { get; private set; } = null!;
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancel)
    {
        var patient = await db.Patients.FindAsync([id], cancel);
        if (patient is null)
        {
            return NotFound();
        }
        Patient = patient;
        var entries = db.AuditEntries.AsNoTracking().Where(e => e.PatientId == id);
        Total = await entries.CountAsync(cancel);
        Entries = await entries.OrderByDescending(e => e.Sequence).Take(PageSize).ToListAsync(cancel);
        await audit.SaveAsync(new AuditEvent(AuditAction.Read, "AccessReport", id.ToString(), id, "IG access report"), cancel);
        return Page();
    }
}
