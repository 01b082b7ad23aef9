using Lantern.Server.Patients;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>The ward forms' "Hospital number or NHS number" box: the patient it names, among those the user may see.</summary>
internal static class PatientByNumber
{
    public const string Label = "Hospital number or NHS number";

    /// <summary>The patient's id, or a problem saying what to do.</summary>
    public static async Task<(Guid? Id, string? Problem)> FindAsync(PatientAccess access, string? typed, CancellationToken cancel)
    {
        var text = typed?.Trim() ?? "";
        if (text.Length == 0)
        {
            return (null, "Enter the patient's hospital number or NHS number");
        }
        var nhs = NhsNumber.Normalise(text);
        var mrn = text.ToUpperInvariant();
        var id = await (await access.VisiblePatientsAsync())
            .Where(p => p.MergedIntoId == null && (p.Mrn == mrn || (nhs != null && p.NhsNumber == nhs))).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancel);
        return id is null ? (null, "No patient has that hospital or NHS number: register them first") : (id, null);
    }

    /// <summary>The hospital number to fill the box with, for a patient the user may see.</summary>
    public static async Task<string?> MrnOfAsync(PatientAccess access, Guid id, CancellationToken cancel) =>
        await (await access.VisiblePatientsAsync()).Where(p => p.Id == id && p.MergedIntoId == null).Select(p => p.Mrn).FirstOrDefaultAsync(cancel);
}
