using Lantern.Server.Organisation;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Pages;

public sealed record WardOccupancy(string Code, string Name, int Beds, int Occupied, int Free, int Cleaning, int Closed);

/// <summary>Every ward with its bed state counts: the way in to each bed board. No patient is named here.</summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class WardsModel(LanternDb db) : PageModel
{
    public IReadOnlyList<WardOccupancy> Wards { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancel) =>
        Wards = await db.Wards.AsNoTracking().OrderBy(w => w.Name)
            .Select(w => new WardOccupancy(w.Code, w.Name, w.Beds.Count, w.Beds.Count(b => b.Status == BedStatus.Occupied),
                w.Beds.Count(b => b.Status == BedStatus.Available), w.Beds.Count(b => b.Status == BedStatus.Cleaning), w.Beds.Count(b => b.Status == BedStatus.Closed)))
            .ToListAsync(cancel);
}
