using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>Every ward with its bed state counts: the way in to each bed board. No patient is named here.</summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class WardsModel(LanternDb db) : PageModel
{
    public IReadOnlyList<WardOccupancy> Wards { get; private set; } = [];

    /// <summary>A patient being admitted from their record (internal id, never an NHS number or MRN in a URL): each ward offers "Admit here".</summary>
    [Microsoft.AspNetCore.Mvc.FromQuery] public Guid? Admit { get; set; }

    /// <summary>A patient to be expected on a ward, from their record: each ward offers "Expect here".</summary>
    [Microsoft.AspNetCore.Mvc.FromQuery] public Guid? Expect { get; set; }

    public async Task OnGetAsync(CancellationToken cancel) => Wards = await WardOccupancy.ListAsync(db, cancel);
}
