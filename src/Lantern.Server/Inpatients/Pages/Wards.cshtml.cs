using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>Every ward with its bed state counts: the way in to each bed board. No patient is named here.</summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class WardsModel(LanternDb db) : PageModel
{
    public IReadOnlyList<WardOccupancy> Wards { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancel) => Wards = await WardOccupancy.ListAsync(db, cancel);
}
