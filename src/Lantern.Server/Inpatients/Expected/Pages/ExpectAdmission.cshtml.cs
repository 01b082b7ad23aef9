using Lantern.Server.Inpatients.Pages;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Expected.Pages;

/// <summary>
/// Record that a patient is expected on this ward (a GP's referral phoned through to the bed bureau, an elective
/// patient's date to come in), from the bed board's "Record an expected admission".
/// </summary>
[RequireActivity(Activity.AdmitTransferDischarge)]
public sealed class ExpectAdmissionModel(LanternDb db, ExpectedAdmissions expectations, PatientAccess access) : WardPatientForm(db, access)
{
    public const string Hint = "The date and the 24-hour time, for example 27 11 2026 and 09:30";

    [BindProperty] public int? TeamId { get; set; }
    [BindProperty] public string? AdmissionMethod { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancel)
    {
        await FillPatientAsync(cancel);
        return await LoadWardAsync(code, cancel) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancel)
    {
        if (await LoadWardAsync(code, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        var patientId = await PatientInBoxAsync(cancel);
        var at = WhenInput.FromForm(Request, "ExpectedAt", out var atProblem);
        if (atProblem is not null)
        {
            AddError("ExpectedAt", atProblem);
        }
        else if (at is null)
        {
            AddError("ExpectedAt", "Enter the date and time the patient is expected");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await expectations.ExpectAsync(new ExpectAdmissionRequest(patientId!.Value, code, TeamId, at, AdmissionMethod, Reason), cancel);
        if (result.Expected is null)
        {
            foreach (var error in result.Errors)
            {
                AddError(error.Field == "PatientId" ? nameof(Patient) : error.Field, error.Message);
            }
            return Page();
        }
        return Redirect($"/wards/{code}");
    }
}
