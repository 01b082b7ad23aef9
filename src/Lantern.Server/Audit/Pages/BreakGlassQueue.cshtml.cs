using Lantern.Server.Patients;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Lantern.Server.Security.BreakGlass;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit.Pages;

/// <summary>The IG officer's queue of break-glass accesses awaiting review, oldest first, and the outcome of each review.</summary>
[RequireActivity(Activity.ReviewBreakGlass)]
public sealed class BreakGlassQueueModel(LanternDb db, AuditTrail audit, CurrentStaff staff, TimeProvider clock) : FormPageModel
{
    public sealed record Item(BreakGlassAccess Access, Patient Patient);

    public IReadOnlyList<Item> Waiting { get; private set; } = [];
    public IReadOnlyList<Item> RecentlyReviewed { get; private set; } = [];

    [BindProperty] public int AccessId { get; set; }
    [BindProperty] public BreakGlassReviewOutcome? Outcome { get; set; }
    [BindProperty] public string? Note { get; set; }

    public async Task OnGetAsync(CancellationToken cancel) => await LoadAsync(cancel);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancel)
    {
        var access = await db.BreakGlassAccesses.FindAsync([AccessId], cancel);
        if (access is null)
        {
            return NotFound();
        }
        if (Outcome is null || !Enum.IsDefined(Outcome.Value))
        {
            AddError($"Outcome-{AccessId}", "Select the outcome of your review");
        }
        if (Outcome is BreakGlassReviewOutcome.Inappropriate or BreakGlassReviewOutcome.FollowUpNeeded && string.IsNullOrWhiteSpace(Note))
        {
            AddError($"Note-{AccessId}", "Enter a note saying what follow-up is needed");
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(cancel);
            return Page();
        }
        access.Review(staff.UserName!, Outcome!.Value, Note?.Trim(), clock.GetUtcNow().UtcDateTime);
        await audit.SaveAsync(new AuditEvent(AuditAction.BreakGlassReview, "BreakGlassAccess",
            access.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), access.PatientId, $"{Outcome}: {Note?.Trim()}"), cancel);
        return Redirect("/audit/break-glass");
    }

    private async Task LoadAsync(CancellationToken cancel)
    {
        var waiting = await db.BreakGlassAccesses.AsNoTracking().Where(b => b.ReviewedAt == null)
            .OrderBy(b => b.GrantedAt).Take(200).ToListAsync(cancel);
        var reviewed = await db.BreakGlassAccesses.AsNoTracking().Where(b => b.ReviewedAt != null)
            .OrderByDescending(b => b.ReviewedAt).Take(20).ToListAsync(cancel);
        var patientIds = waiting.Concat(reviewed).Select(b => b.PatientId).Distinct().ToList();
        var patients = await db.Patients.AsNoTracking().Where(p => patientIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancel);
        Waiting = [.. waiting.Select(b => new Item(b, patients[b.PatientId]))];
        RecentlyReviewed = [.. reviewed.Select(b => new Item(b, patients[b.PatientId]))];
    }
}
