using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;

namespace Lantern.Server.Patients.Pages;

/// <summary>
/// Correct or update a patient's demographics. The form carries the version it was loaded at; if another
/// clerk saved in the meantime, nothing is overwritten: the clerk sees what is stored now and decides.
/// </summary>
[RequireActivity(Activity.RegisterPatient)]
public sealed class EditPatientModel(PatientAccess access, PatientRegistry registry, TimeProvider clock) : DemographicsFormModel
{
    [BindProperty] public int Version { get; set; }

    public Patient Patient { get; private set; } = null!;

    /// <summary>Set when someone else saved first: the details as they are stored now.</summary>
    public Patient? StoredNow { get; private set; }

    public override bool AsksPreviousName => false;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancel)
    {
        if (await LoadAsync(id, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        Fill(Patient);
        Version = Patient.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancel)
    {
        if (await LoadAsync(id, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        if (ReadDemographics(UkTime.Today(clock)) is not { } demographics)
        {
            return Page();
        }
        var result = await registry.UpdateAsync(id, Version, demographics, cancel);
        switch (result.Outcome)
        {
            case RegistrationOutcome.Updated:
                return Redirect($"/patients/{id}?updated=true");
            case RegistrationOutcome.NhsNumberInUse:
                AddError(nameof(NhsNumber), $"This NHS number is already registered to {result.NhsNumberHolderMrn}: if they are the same person, merge the records");
                return Page();
            case RegistrationOutcome.EditedByAnother:
                StoredNow = result.Patient;
                Patient = result.Patient!;
                AddError("", "Someone else changed this patient's details while you were editing. Your changes have not been saved. " +
                    "Compare them with the details now stored, shown below, and save again if yours are still right.");
                Version = result.Patient!.Version;
                ModelState.Remove(nameof(Version));
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancel)
    {
        var decision = await access.OpenDemographicsAsync(id, cancel);
        Patient = decision.Patient!;
        return PatientPageResults.Elsewhere(decision, "/edit");
    }
}
