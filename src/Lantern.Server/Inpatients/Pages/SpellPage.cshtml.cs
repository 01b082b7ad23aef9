using Lantern.Server.Patients;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>One admission: where the patient is, under whom, and the journey so far (ward stays, consultant episodes, changes).</summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class SpellPageModel(LanternDb db, PatientAccess access, TimeProvider clock) : PageModel
{
    public Patient Patient { get; private set; } = null!;
    public SpellView Spell { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int spellId, CancellationToken cancel)
    {
        if (await access.OpenSpellPatientAsync(db, spellId, cancel) is not { } patient)
        {
            return NotFound();
        }
        Patient = patient;
        Spell = await SpellView.LoadAsync(db, spellId, clock.GetUtcNow().UtcDateTime, cancel);
        return Page();
    }
}
