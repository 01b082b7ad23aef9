using Lantern.Server.Audit;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Lantern.Server.Security.BreakGlass;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Lantern.Server.Patients.Pages;

/// <summary>
/// Break the glass: a clinician with no legitimate relationship states why they need the record, and gets
/// time-limited access that is audited and queued for IG review.
/// </summary>
[RequireActivity(Activity.BreakGlass)]
public sealed class BreakGlassModel(PatientAccess access, LanternDb db, AuditTrail audit, CurrentStaff staff,
    TimeProvider clock, IOptions<LanternOptions> options) : FormPageModel
{
    public const int MinimumExplanation = 10;

    [BindProperty] public BreakGlassReason? Reason { get; set; }
    [BindProperty] public string? Explanation { get; set; }
    public Patient Patient { get; private set; } = null!;
    public int Hours => options.Value.BreakGlassHours;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancel) => await LoadAsync(id, cancel) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancel)
    {
        if (await LoadAsync(id, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        if (Reason is null || !Enum.IsDefined(Reason.Value))
        {
            AddError(nameof(Reason), "Select why you need to see this record");
        }
        var explanation = Explanation?.Trim() ?? "";
        if (explanation.Length < MinimumExplanation)
        {
            AddError(nameof(Explanation), $"Explain in at least {MinimumExplanation} characters why you need to see this record");
        }
        else if (explanation.Length > SecurityModel.AuditReasonLength)
        {
            AddError(nameof(Explanation), $"Explanation must be {SecurityModel.AuditReasonLength} characters or fewer");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var grant = new BreakGlassAccess(id, staff.UserName!, staff.Role!.Name, Reason!.Value, explanation,
            clock.GetUtcNow().UtcDateTime, TimeSpan.FromHours(options.Value.BreakGlassHours));
        db.BreakGlassAccesses.Add(grant);
        await audit.SaveAsync(new AuditEvent(AuditAction.BreakGlass, PatientAccess.RecordType, id.ToString(), id, grant.AuditReason), cancel);
        return Redirect($"/patients/{id}");
    }

    /// <summary>Null to show the form; otherwise where to go instead (not found, or access already held).</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancel)
    {
        var decision = await access.OpenAsync(id, cancel);
        switch (decision.Level)
        {
            case PatientAccessLevel.NotFound:
                return NotFound();
            case PatientAccessLevel.ClinicalRecord:
            case PatientAccessLevel.Merged:
                return Redirect($"/patients/{id}");
            default:
                Patient = decision.Patient!;
                return null;
        }
    }
}
