using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>
/// A ward's form about one patient (admit, expect): the ward and the trust's teams, and the "Hospital number or NHS
/// number" box, which names a patient among those the user may see.
/// </summary>
public abstract class WardPatientForm(LanternDb db, PatientAccess access) : FormPageModel
{
    public const string PatientLabel = "Hospital number or NHS number";

    protected LanternDb Db { get; } = db;

    public Ward Ward { get; private set; } = null!;
    public IReadOnlyList<ClinicalTeam> Teams { get; private set; } = [];

    [BindProperty] public string? Patient { get; set; }

    /// <summary>Coming from a patient's record: their hospital number is filled in.</summary>
    [FromQuery] public Guid? PatientId { get; set; }

    /// <summary>Fills the box with the hospital number of <see cref="PatientId"/>, if the user may see them.</summary>
    protected async Task FillPatientAsync(CancellationToken cancel)
    {
        if (PatientId is { } id)
        {
            Patient = await (await access.VisiblePatientsAsync()).Where(p => p.Id == id && p.MergedIntoId == null).Select(p => p.Mrn).FirstOrDefaultAsync(cancel);
        }
    }

    /// <summary>The patient the box names, or null with the problem recorded against it.</summary>
    protected async Task<Guid?> PatientInBoxAsync(CancellationToken cancel)
    {
        var text = Patient?.Trim() ?? "";
        if (text.Length == 0)
        {
            AddError(nameof(Patient), "Enter the patient's hospital number or NHS number");
            return null;
        }
        var nhs = NhsNumber.Normalise(text);
        var mrn = text.ToUpperInvariant();
        var id = await (await access.VisiblePatientsAsync())
            .Where(p => p.MergedIntoId == null && (p.Mrn == mrn || (nhs != null && p.NhsNumber == nhs))).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancel);
        if (id is null)
        {
            AddError(nameof(Patient), "No patient has that hospital or NHS number: register them first");
        }
        return id;
    }

    /// <summary>Loads the ward and the teams; a result (not found) when there is no such ward.</summary>
    protected async Task<IActionResult?> LoadWardAsync(string code, CancellationToken cancel)
    {
        var ward = await Db.Wards.AsNoTracking().FirstOrDefaultAsync(w => w.Code == code, cancel);
        if (ward is null)
        {
            return NotFound();
        }
        Ward = ward;
        Teams = await Db.ClinicalTeams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancel);
        return null;
    }

    /// <summary>The teams as choices for a select.</summary>
    public IReadOnlyList<Choice> TeamChoices => [.. Teams.Select(t => new Choice(t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Name))];
}
