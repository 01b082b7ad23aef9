using Lantern.Server.Patients.Merging;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Pages;

/// <summary>
/// Merge this record with a duplicate: find the other registration by hospital or NHS number, compare the
/// two side by side, choose which is kept, give a reason. Also lists merges into this record, each of
/// which can be undone.
/// </summary>
[RequireActivity(Activity.MergePatients)]
public sealed class MergePatientModel(PatientAccess access, PatientMerger merger, LanternDb db) : FormPageModel
{
    public Patient Patient { get; private set; } = null!;
    public Patient? Other { get; private set; }
    public IReadOnlyList<(PatientMerge Merge, Patient Retired)> Merges { get; private set; } = [];

    [BindProperty] public string? OtherRecord { get; set; }
    [BindProperty] public Guid? OtherId { get; set; }
    [BindProperty] public string? Keep { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public Guid? MergeId { get; set; }
    [BindProperty] public string? UnmergeReason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancel) => await LoadAsync(id, cancel) ?? Page();

    public async Task<IActionResult> OnPostFindAsync(Guid id, CancellationToken cancel)
    {
        if (await LoadAsync(id, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        var text = OtherRecord?.Trim() ?? "";
        var nhs = NhsNumber.Normalise(text);
        var mrn = text.ToUpperInvariant();
        var found = text.Length == 0 ? null : await (await access.VisiblePatientsAsync())
            .Where(p => p.MergedIntoId == null && (p.Mrn == mrn || (nhs != null && p.NhsNumber == nhs)))
            .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancel);
        if (text.Length == 0)
        {
            AddError(nameof(OtherRecord), "Enter the hospital number or NHS number of the duplicate record");
        }
        else if (found is null)
        {
            AddError(nameof(OtherRecord), "No current record has that hospital number or NHS number");
        }
        else if (found == id)
        {
            AddError(nameof(OtherRecord), "That is this record: enter the other one");
        }
        else
        {
            return await ShowOtherAsync(found.Value, cancel) ?? Page();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostMergeAsync(Guid id, CancellationToken cancel)
    {
        if (await LoadAsync(id, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        if (OtherId is not { } otherId || await ShowOtherAsync(otherId, cancel) is not null)
        {
            return NotFound();
        }
        if (Keep is not ("this" or "other"))
        {
            AddError(nameof(Keep), "Select which record to keep");
        }
        if (string.IsNullOrWhiteSpace(Reason))
        {
            AddError(nameof(Reason), "Give the reason for the merge, for example how you know they are one person");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var (survivor, retired) = Keep == "this" ? (id, otherId) : (otherId, id);
        var result = await merger.MergeAsync(survivor, retired, Reason!.Trim(), cancel);
        if (result.Problem is { } problem)
        {
            AddError("", problem);
            return Page();
        }
        return Redirect($"/patients/{survivor}?merged=true");
    }

    public async Task<IActionResult> OnPostUnmergeAsync(Guid id, CancellationToken cancel)
    {
        if (await LoadAsync(id, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        if (MergeId is not { } mergeId || Merges.All(m => m.Merge.Id != mergeId))
        {
            return NotFound();
        }
        if (string.IsNullOrWhiteSpace(UnmergeReason))
        {
            AddError(nameof(UnmergeReason), "Give the reason for undoing the merge");
            return Page();
        }
        var result = await merger.UnmergeAsync(mergeId, UnmergeReason.Trim(), cancel);
        if (result.Problem is { } problem)
        {
            AddError("", problem);
            return Page();
        }
        return Redirect($"/patients/{result.Merge!.RetiredId}?unmerged=true");
    }

    private async Task<IActionResult?> ShowOtherAsync(Guid otherId, CancellationToken cancel)
    {
        var decision = await access.OpenDemographicsAsync(otherId, cancel);
        if (decision.Level != PatientAccessLevel.DemographicsOnly)
        {
            return NotFound();
        }
        Other = decision.Patient;
        OtherId = otherId;
        return null;
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancel)
    {
        var decision = await access.OpenDemographicsAsync(id, cancel);
        if (PatientPageResults.Elsewhere(decision, "/merge") is { } elsewhere)
        {
            return elsewhere;
        }
        Patient = decision.Patient!;
        var merges = await db.PatientMerges.AsNoTracking().Where(m => m.SurvivorId == id && m.UnmergedAt == null)
            .Join(db.Patients.AsNoTracking(), m => m.RetiredId, p => p.Id, (m, p) => new { Merge = m, Retired = p })
            .ToListAsync(cancel);
        Merges = [.. merges.Select(m => (m.Merge, m.Retired))];
        return null;
    }
}
