using Lantern.Server.Audit;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;

namespace Lantern.Server.Patients.Pages;

/// <summary>The IG officer seals or unseals a record. Sealed records vanish from searches for staff without permission.</summary>
[RequireActivity(Activity.ReviewBreakGlass)]
public sealed class SensitivityModel(LanternDb db, AuditTrail audit) : FormPageModel
{
    [BindProperty] public bool Sensitive { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public Patient Patient { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancel)
    {
        if (await db.Patients.FindAsync([id], cancel) is not { } patient)
        {
            return NotFound();
        }
        Patient = patient;
        Sensitive = patient.IsSensitive;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancel)
    {
        if (await db.Patients.FindAsync([id], cancel) is not { } patient)
        {
            return NotFound();
        }
        Patient = patient;
        if (string.IsNullOrWhiteSpace(Reason))
        {
            AddError(nameof(Reason), "Enter the reason for this change");
            return Page();
        }
        patient.MarkSensitive(Sensitive);
        await audit.SaveAsync(new AuditEvent(AuditAction.Update, "PatientSensitivity", Sensitive ? "sealed" : "unsealed", id, Reason.Trim()), cancel);
        return Redirect($"/patients/{id}/access-report");
    }
}
