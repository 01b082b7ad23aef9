using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;

namespace Lantern.Server.Patients.Pages;

/// <summary>
/// Register a new patient. Before saving, existing patients who may be the same person are shown; the clerk
/// opens one of them, or confirms that this is someone new.
/// </summary>
[RequireActivity(Activity.RegisterPatient)]
public sealed class RegisterPatientModel(PatientRegistry registry, TimeProvider clock) : DemographicsFormModel
{
    [BindProperty] public bool AcceptPossibleDuplicates { get; set; }

    public IReadOnlyList<DuplicateCandidate> Duplicates { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancel)
    {
        if (ReadDemographics(UkTime.Today(clock)) is not { } demographics)
        {
            return Page();
        }
        var result = await registry.RegisterAsync(demographics, AcceptPossibleDuplicates, cancel);
        switch (result.Outcome)
        {
            case RegistrationOutcome.Registered:
                return Redirect($"/patients/{result.Patient!.Id}?registered=true");
            case RegistrationOutcome.NhsNumberInUse:
                AddError(nameof(NhsNumber), $"This NHS number is already registered to {result.NhsNumberHolderMrn}: search for that patient instead");
                return Page();
            default:
                Duplicates = result.Duplicates!;
                return Page();
        }
    }
}
