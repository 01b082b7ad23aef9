using Lantern.Server.Organisation;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Beds.Pages;

/// <summary>
/// A system administrator's view of a ward's layout: designate each bay's sex, add bays and beds, close and reopen
/// beds. Shows bed states only, never who is in them (administrators see no patient data).
/// </summary>
[RequireActivity(Activity.ManageWards)]
public sealed class WardLayoutModel(LanternDb db, BedManagement beds) : FormPageModel
{
    public Ward Ward { get; private set; } = null!;

    [BindProperty] public string? BayName { get; set; }
    [BindProperty] public SexOfBay? BaySex { get; set; }
    [BindProperty] public string? BayBeds { get; set; }
    [BindProperty] public string? BedLabel { get; set; }
    [BindProperty] public string? BedBay { get; set; }
    [BindProperty] public string? Bay { get; set; }
    [BindProperty] public SexOfBay? Sex { get; set; }

    [TempData] public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancel) => await LoadAsync(code, cancel) ?? Page();

    public Task<IActionResult> OnPostAddBayAsync(string code, CancellationToken cancel) =>
        RunAsync(code, () => beds.AddBayAsync(code, new NewBayRequest(BayName, BaySex, int.TryParse(BayBeds, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null), cancel),
            new() { ["Name"] = nameof(BayName), ["Sex"] = nameof(BaySex), ["Beds"] = nameof(BayBeds) }, $"Bay {BayName?.Trim().ToUpperInvariant()} added", cancel);

    public Task<IActionResult> OnPostAddBedAsync(string code, CancellationToken cancel) =>
        RunAsync(code, () => beds.AddBedAsync(code, new NewBedRequest(BedLabel, BedBay), cancel),
            new() { ["Label"] = nameof(BedLabel), ["Bay"] = nameof(BedBay) }, $"Bed {BedLabel?.Trim().ToUpperInvariant()} added", cancel);

    public Task<IActionResult> OnPostDesignateAsync(string code, CancellationToken cancel) =>
        RunAsync(code, () => beds.DesignateBayAsync(code, Bay ?? "", new BayDesignationRequest(Sex), cancel),
            new() { ["Sex"] = $"Sex-{Bay}" }, $"Bay {Bay} is now {Sex?.ToString().ToLowerInvariant()}", cancel);

    private async Task<IActionResult> RunAsync(string code, Func<Task<BedManagementResult>> command, Dictionary<string, string> fields, string done, CancellationToken cancel)
    {
        // A choice that would not bind is reported by the command's own check, in its words.
        ModelState.Clear();
        var result = await command();
        if (result.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                AddError(fields.GetValueOrDefault(error.Field, error.Field), error.Message);
            }
            return await LoadAsync(code, cancel) ?? Page();
        }
        Confirmation = done;
        return Redirect($"/wards/{code}/layout");
    }

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken cancel)
    {
        var ward = await db.Wards.AsNoTracking().Include(w => w.Bays).Include(w => w.Beds).AsSplitQuery().FirstOrDefaultAsync(w => w.Code == code, cancel);
        if (ward is null)
        {
            return NotFound();
        }
        Ward = ward;
        return null;
    }
}
