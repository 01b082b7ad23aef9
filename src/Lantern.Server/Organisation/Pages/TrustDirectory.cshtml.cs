using Lantern.Server.Platform.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Lantern.Server.Security;

namespace Lantern.Server.Organisation.Pages;

/// <summary>The trust's structure at a glance: wards with bed counts, consultants and teams, clinics.</summary>
[RequireActivity(Activity.ViewTrustDirectory)]
public sealed class TrustDirectoryModel(LanternDb db) : PageModel
{
    public sealed record WardSummary(string Code, string Name, string Specialty, int Beds, int Available, int Closed);

    public IReadOnlyList<WardSummary> Wards { get; private set; } = [];
    public IReadOnlyList<ClinicalTeam> Teams { get; private set; } = [];
    public IReadOnlyList<Clinic> Clinics { get; private set; } = [];
    public string SiteName { get; private set; } = "";

    public async Task OnGetAsync()
    {
        SiteName = await db.Sites.Select(s => s.Name).FirstOrDefaultAsync() ?? "";
        Wards = await db.Wards.OrderBy(w => w.Name)
            .Select(w => new WardSummary(w.Code, w.Name, w.Specialty!.Name, w.Beds.Count,
                w.Beds.Count(b => b.Status == BedStatus.Available), w.Beds.Count(b => b.Status == BedStatus.Closed)))
            .ToListAsync();
        Teams = await db.ClinicalTeams.Include(t => t.LeadConsultant).Include(t => t.Specialty)
            .OrderBy(t => t.Specialty!.Name).ThenBy(t => t.Name).ToListAsync();
        Clinics = await db.Clinics.Include(c => c.Consultant).Include(c => c.Specialty)
            .OrderBy(c => c.Weekday).ThenBy(c => c.Session).ThenBy(c => c.Name).ToListAsync();
    }
}
