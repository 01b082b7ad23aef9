using Lantern.Server.Audit;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Expected.Pages;

/// <summary>Cancel an expected admission that will not happen as planned, with the reason (kept and audited).</summary>
[RequireActivity(Activity.AdmitTransferDischarge)]
public sealed class CancelExpectedAdmissionModel(LanternDb db, ExpectedAdmissions expectations, PatientAccess access, AuditTrail audit) : FormPageModel
{
    public ExpectedAdmission Expected { get; private set; } = null!;

    /// <summary>"SURNAME, Given", or "Restricted patient" for a sealed record the user may not see.</summary>
    public string PatientName { get; private set; } = "";

    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancel)
    {
        if (await LoadAsync(id, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        // The page names the patient: an audited read, as the bed board's list is.
        await audit.SaveAsync(new AuditEvent(AuditAction.Read, ExpectedAdmissions.RecordType, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Expected.PatientId, "Opened to cancel"), cancel);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancel)
    {
        if (await LoadAsync(id, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        var result = await expectations.CancelAsync(id, new CancelExpectedAdmissionRequest(Reason), cancel);
        if (result.Expected is null)
        {
            foreach (var error in result.Errors)
            {
                AddError(error.Field.Length == 0 ? nameof(Reason) : error.Field, error.Message);
            }
            return Page();
        }
        return Redirect($"/wards/{Expected.Ward!.Code}");
    }

    private async Task<IActionResult?> LoadAsync(int id, CancellationToken cancel)
    {
        var expected = await db.ExpectedAdmissions.AsNoTracking().Include(e => e.Ward).FirstOrDefaultAsync(e => e.Id == id, cancel);
        if (expected is null)
        {
            return NotFound();
        }
        Expected = expected;
        var patient = await (await access.VisiblePatientsAsync()).Where(p => p.Id == expected.PatientId).Select(p => new { p.FamilyName, p.GivenName }).FirstOrDefaultAsync(cancel);
        PatientName = patient is null ? "Restricted patient" : $"{patient.FamilyName.ToUpperInvariant()}, {patient.GivenName}";
        return null;
    }
}
