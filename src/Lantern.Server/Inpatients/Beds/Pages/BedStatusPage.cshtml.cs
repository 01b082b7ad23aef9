using Lantern.Server.Organisation;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Beds.Pages;

/// <summary>
/// Marks an empty bed clean, needing cleaning, closed or reopened. The bed board's buttons post here directly;
/// the page itself shows the choice again with the reason when a change is refused.
/// </summary>
[RequireActivity(Activity.UpdateBedStatus)]
public sealed class BedStatusPageModel(LanternDb db, BedManagement beds, CurrentStaff staff) : FormPageModel
{
    public Ward Ward { get; private set; } = null!;
    public Bed Bed { get; private set; } = null!;

    [BindProperty] public string? Status { get; set; }

    /// <summary>Where to go back to: the bed board, or the ward layout for administrators who see no patients.</summary>
    public string ReturnPath => staff.Can(Activity.ViewDemographics) ? $"/wards/{Ward.Code}" : $"/wards/{Ward.Code}/layout";

    public async Task<IActionResult> OnGetAsync(string code, string label, CancellationToken cancel) => await LoadAsync(code, label, cancel) ?? Page();

    public async Task<IActionResult> OnPostAsync(string code, string label, CancellationToken cancel)
    {
        if (await LoadAsync(code, label, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        var result = await beds.SetBedStatusAsync(code, label, new BedStatusRequest(Status), cancel);
        if (result.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                AddError(error.Field, error.Message);
            }
            await LoadAsync(code, label, cancel); // show the bed as it is now
            return Page();
        }
        return Redirect(ReturnPath);
    }

    private async Task<IActionResult?> LoadAsync(string code, string label, CancellationToken cancel)
    {
        var ward = await db.Wards.AsNoTracking().FirstOrDefaultAsync(w => w.Code == code, cancel);
        var bed = ward is null ? null : await db.Beds.AsNoTracking().FirstOrDefaultAsync(b => b.WardId == ward.Id && b.Label == label, cancel);
        if (bed is null)
        {
            return NotFound();
        }
        (Ward, Bed) = (ward!, bed);
        return null;
    }
}
