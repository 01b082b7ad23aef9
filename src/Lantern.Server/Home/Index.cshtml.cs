using Lantern.Server.Organisation;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Lantern.Server.Security;

namespace Lantern.Server.Home;

/// <summary>The home dashboard: who you are, where you work, and the state of the hospital today.</summary>
[AnySignedInStaff]
public sealed class DashboardModel(CurrentStaff staff, LanternDb db, TimeProvider clock, IEnumerable<IAttentionNotice> notices) : PageModel
{
    public StaffUser Staff { get; private set; } = null!;
    public string Greeting { get; private set; } = "Hello";
    public int WardCount { get; private set; }
    public int BedsAvailable { get; private set; }
    public int BedsInUse { get; private set; }
    public int BedsClosed { get; private set; }
    public IReadOnlyList<Clinic> ClinicsToday { get; private set; } = [];
    public DateTime LondonNow { get; private set; }

    /// <summary>What waits for this person to act on it (their role's notices that have something to say).</summary>
    public IReadOnlyList<Notice> Attention { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        var user = await staff.GetUserAsync();
        if (user is null)
        {
            return Challenge();
        }
        Staff = user;
        LondonNow = UkTime.ToLondon(clock.GetUtcNow());
        Greeting = LondonNow.Hour switch { < 12 => "Good morning", < 18 => "Good afternoon", _ => "Good evening" };
        WardCount = await db.Wards.CountAsync(cancel);
        var beds = await db.Beds.GroupBy(b => b.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancel);
        BedsAvailable = beds.Where(b => b.Key == BedStatus.Available).Sum(b => b.Count);
        BedsInUse = beds.Where(b => b.Key is BedStatus.Occupied or BedStatus.Cleaning).Sum(b => b.Count);
        BedsClosed = beds.Where(b => b.Key == BedStatus.Closed).Sum(b => b.Count);
        ClinicsToday = await db.Clinics.Include(c => c.Consultant)
            .Where(c => c.Weekday == LondonNow.DayOfWeek)
            .OrderBy(c => c.Session).ThenBy(c => c.Name)
            .ToListAsync(cancel);
        var attention = new List<Notice>();
        foreach (var notice in notices.Where(n => staff.Can(n.Activity)))
        {
            if (await notice.CheckAsync(db, cancel) is { } waiting)
            {
                attention.Add(waiting);
            }
        }
        Attention = attention;
        return Page();
    }
}
