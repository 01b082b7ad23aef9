using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit.Pages;

/// <summary>Search the audit trail by user, action, patient and date; newest first, paged.</summary>
[RequireActivity(Activity.ViewAudit)]
public sealed class AuditSearchModel(LanternDb db, AuditTrail audit) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)] public AuditFilter Filter { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public bool Searched { get; private set; }

    public async Task OnGetAsync(CancellationToken cancel)
    {
        PageNumber = Math.Max(1, PageNumber);
        var entries = Filter.Apply(db.AuditEntries);
        Total = await entries.CountAsync(cancel);
        Entries = await entries.OrderByDescending(e => e.Sequence).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(cancel);
        Searched = Request.Query.Count > 0;
        if (Searched)
        {
            await audit.SaveAsync(new AuditEvent(AuditAction.Search, "AuditTrail", Filter.Describe(), Filter.Patient), cancel);
        }
    }

    public string PageLink(int page) =>
        "/audit" + QueryString.Create(Request.Query.Where(q => q.Key != "page")
            .Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString()))
            .Append(KeyValuePair.Create("page", (string?)page.ToString(System.Globalization.CultureInfo.InvariantCulture))));
}
