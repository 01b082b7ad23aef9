using Lantern.Server.Inpatients.Adt;
using Lantern.Server.Inpatients.Expected;
using Lantern.Server.Organisation;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>
/// Admit a registered patient to a bed on this ward, from the bed board's "Admit a patient here". The patient
/// is named by hospital or NHS number (register them first if new).
/// </summary>
[RequireActivity(Activity.AdmitTransferDischarge)]
public sealed class AdmitModel(LanternDb db, AdtCommands adt, PatientAccess access) : WardPatientForm(db, access)
{

    /// <summary>The ward's free beds as "label (bay, sex)", in bay order.</summary>
    public IReadOnlyList<Choice> FreeBeds { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public string? Bed { get; set; }

    /// <summary>Admitting a patient from the ward's expected admissions: the one this admission fulfils.</summary>
    [BindProperty(SupportsGet = true)] public int? Expected { get; set; }
    [BindProperty] public int? TeamId { get; set; }
    [BindProperty] public string? AdmissionMethod { get; set; }
    [BindProperty] public string? AdmissionSource { get; set; } = "19";
    [BindProperty] public string? ExpectedDischargeDay { get; set; }
    [BindProperty] public string? ExpectedDischargeMonth { get; set; }
    [BindProperty] public string? ExpectedDischargeYear { get; set; }
    [BindProperty] public bool MixedSexJustified { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancel)
    {
        if (Expected is { } expectedId
            && await Db.ExpectedAdmissions.AsNoTracking().FirstOrDefaultAsync(e => e.Id == expectedId && e.Status == ExpectedAdmissionStatus.Expected, cancel) is { } expected)
        {
            // Admitting from the ward's list: what was planned is filled in, and the admission fulfils that expectation.
            (PatientId, TeamId, AdmissionMethod) = (expected.PatientId, expected.TeamId, expected.AdmissionMethod);
        }
        else
        {
            Expected = null;
        }
        await FillPatientAsync(cancel);
        return await LoadAsync(code, cancel) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancel)
    {
        if (await LoadAsync(code, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        var patientId = await PatientInBoxAsync(cancel);
        var at = WhenInput.FromForm(Request, "At", out var atProblem);
        if (atProblem is not null)
        {
            AddError("At", atProblem);
        }
        var expected = new DateParts(ExpectedDischargeDay, ExpectedDischargeMonth, ExpectedDischargeYear).ToIso(out var problem);
        if (problem is not null)
        {
            AddError("ExpectedDischarge", "Expected discharge date " + problem);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await adt.AdmitAsync(new AdmitRequest(patientId!.Value, code, Bed, TeamId, AdmissionMethod, AdmissionSource,
            expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at, MixedSexJustified, Expected), cancel);
        if (result.Spell is null)
        {
            foreach (var error in result.Errors)
            {
                AddError(error.Field switch
                {
                    "PatientId" or "ExpectedAdmissionId" => nameof(Patient), "BedLabel" => nameof(Bed), "ExpectedDischargeDate" => "ExpectedDischarge", _ => error.Field,
                }, error.Message);
            }
            return Page();
        }
        return Redirect($"/wards/{code}");
    }

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken cancel)
    {
        if (await LoadWardAsync(code, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        FreeBeds = [.. (await Db.Beds.AsNoTracking().Where(b => b.WardId == Ward.Id && b.Status == BedStatus.Available)
                .Select(b => new { b.Label, Bay = b.Bay == null ? null : b.Bay.Name, Sex = b.Bay == null ? (SexOfBay?)null : b.Bay.Sex }).ToListAsync(cancel))
            .OrderBy(b => b.Bay is null).ThenBy(b => b.Bay, StringComparer.Ordinal).ThenBy(b => b.Label.Length).ThenBy(b => b.Label, StringComparer.Ordinal)
            .Select(b => new Choice(b.Label, b.Bay is null ? $"{b.Label} (side room)" : $"{b.Label} (bay {b.Bay}, {b.Sex.ToString()!.ToLowerInvariant()})"))];
        return null;
    }
}
