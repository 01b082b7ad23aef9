using System.Security.Claims;
using Lantern.Server.Inpatients;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Lantern.Server.Security.OAuth;
using Lantern.Server.Security.Relationships;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Pages;

/// <summary>
/// A patient's record. Everyone who may find patients sees the banner and demographics; clinical roles
/// see clinical content only with a legitimate relationship, and are offered break-glass otherwise.
/// </summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class PatientRecordModel(PatientAccess access, LanternDb db, EhrLaunch ehrLaunch) : PageModel
{
    public Patient Patient { get; private set; } = null!;
    public PatientAccessLevel Level { get; private set; }
    public LegitimateRelationship? Relationship { get; private set; }
    public Spell? CurrentSpell { get; private set; }

    /// <summary>The patient's admissions, newest first: the journey through the hospital.</summary>
    public IReadOnlyList<(int Id, DateTime AdmittedAt, DateTime? DischargedAt, bool Cancelled, string Ward)> Admissions { get; private set; } = [];

    /// <summary>Where and when the patient is expected (open expected admissions), soonest first.</summary>
    public IReadOnlyList<(string WardCode, string Ward, DateTime ExpectedAt)> Expected { get; private set; } = [];

    /// <summary>Registered SMART apps that can be opened on this patient (EHR launch).</summary>
    public IReadOnlyList<LaunchableApp> Apps { get; private set; } = [];

    /// <summary>MRNs of registrations merged into this one.</summary>
    public IReadOnlyList<string> MergedRecords { get; private set; } = [];

    [FromQuery(Name = "registered")] public bool JustRegistered { get; set; }
    [FromQuery(Name = "updated")] public bool JustUpdated { get; set; }
    [FromQuery(Name = "merged")] public bool JustMerged { get; set; }
    [FromQuery(Name = "unmerged")] public bool JustUnmerged { get; set; }
    [FromQuery(Name = "mergedFrom")] public string? RedirectedFrom { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancel)
    {
        var decision = await access.OpenAsync(id, cancel);
        switch (decision.Level)
        {
            case PatientAccessLevel.NotFound:
                return NotFound();
            case PatientAccessLevel.NeedsBreakGlass:
                return Redirect($"/patients/{id}/break-glass");
            case PatientAccessLevel.Merged:
                return Redirect($"/patients/{decision.Patient!.MergedIntoId}?mergedFrom={Uri.EscapeDataString(decision.Patient.Mrn)}");
        }
        Patient = decision.Patient!;
        Level = decision.Level;
        Relationship = decision.Relationship;
        MergedRecords = await db.PatientMerges.AsNoTracking().Where(m => m.SurvivorId == id && m.UnmergedAt == null)
            .Join(db.Patients, m => m.RetiredId, p => p.Id, (m, p) => p.Mrn).ToListAsync(cancel);
        Admissions = [.. (await db.Spells.AsNoTracking().Where(s => s.PatientId == id).OrderByDescending(s => s.AdmittedAt)
            .Select(s => new { s.Id, s.AdmittedAt, s.DischargedAt, Cancelled = s.CancelledAt != null, Ward = s.Ward!.Name }).ToListAsync(cancel))
            .Select(s => (s.Id, s.AdmittedAt, s.DischargedAt, s.Cancelled, s.Ward))];
        Expected = [.. (await db.ExpectedAdmissions.AsNoTracking()
                .Where(e => e.PatientId == id && e.Status == Inpatients.Expected.ExpectedAdmissionStatus.Expected).OrderBy(e => e.ExpectedAt)
                .Select(e => new { e.Ward!.Code, e.Ward.Name, e.ExpectedAt }).ToListAsync(cancel))
            .Select(e => (e.Code, e.Name, e.ExpectedAt))];
        CurrentSpell = await db.Spells.AsNoTracking().Include(s => s.Ward).Include(s => s.Bed).Include(s => s.ResponsibleTeam)
            .Where(Spell.Current).Where(s => s.PatientId == id).FirstOrDefaultAsync(cancel);
        Apps = await ehrLaunch.AppsAsync(cancel);
        return Page();
    }

    /// <summary>Opens a registered app on this patient: the browser goes to the app's launch URL with the launch context.</summary>
    public async Task<IActionResult> OnPostLaunchAsync(Guid id, string app, CancellationToken cancel)
    {
        var decision = await access.OpenAsync(id, cancel);
        if (decision.Level == PatientAccessLevel.NeedsBreakGlass)
        {
            return Redirect($"/patients/{id}/break-glass");
        }
        var chosen = (await ehrLaunch.AppsAsync(cancel)).FirstOrDefault(a => a.ClientId == app);
        // The same identity the authorisation checks the launch against (the staff cookie's user id).
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (decision.Level is not (PatientAccessLevel.ClinicalRecord or PatientAccessLevel.DemographicsOnly) || chosen is null || userId is null)
        {
            return NotFound();
        }
        return Redirect((await ehrLaunch.StartAsync(chosen, userId, id, FhirLinks.Base(Request), cancel)).ToString());
    }
}
