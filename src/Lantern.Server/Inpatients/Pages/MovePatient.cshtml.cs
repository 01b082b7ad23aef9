using Lantern.Server.Inpatients.Adt;
using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>The ward clerk's commands on one admission: transfer, change of consultant, discharge, and undo of the last of these.</summary>
[RequireActivity(Activity.AdmitTransferDischarge)]
public sealed class MovePatientModel(LanternDb db, AdtCommands adt, PatientAccess access, TimeProvider clock) : FormPageModel
{
    public Patient Patient { get; private set; } = null!;
    public SpellView Spell { get; private set; } = null!;
    public IReadOnlyList<Ward> Wards { get; private set; } = [];
    public IReadOnlyList<ClinicalTeam> Teams { get; private set; } = [];

    [BindProperty] public string? WardCode { get; set; }
    [BindProperty] public string? BedLabel { get; set; }
    [BindProperty] public bool MixedSexJustified { get; set; }
    [BindProperty] public int? TeamId { get; set; }
    [BindProperty] public string? DischargeMethod { get; set; }
    [BindProperty] public string? DischargeDestination { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ExpectedDischargeDay { get; set; }
    [BindProperty] public string? ExpectedDischargeMonth { get; set; }
    [BindProperty] public string? ExpectedDischargeYear { get; set; }

    public async Task<IActionResult> OnGetAsync(int spellId, CancellationToken cancel) => await LoadAsync(spellId, cancel) ?? Page();

    public Task<IActionResult> OnPostTransferAsync(int spellId, CancellationToken cancel) =>
        RunAsync(spellId, "TransferAt", at => adt.TransferAsync(spellId, new TransferRequest(WardCode, BedLabel, at, MixedSexJustified), cancel), cancel);

    public Task<IActionResult> OnPostConsultantAsync(int spellId, CancellationToken cancel) =>
        RunAsync(spellId, "ConsultantAt", at => adt.ChangeConsultantAsync(spellId, new ConsultantChangeRequest(TeamId, at), cancel), cancel);

    public Task<IActionResult> OnPostExpectedDischargeAsync(int spellId, CancellationToken cancel)
    {
        var iso = new DateParts(ExpectedDischargeDay, ExpectedDischargeMonth, ExpectedDischargeYear).ToIso(out var problem);
        if (problem is not null)
        {
            AddError("ExpectedDischarge", "Expected discharge date " + problem);
        }
        // A date that is not a real date is already on the page as an error: nothing is sent.
        return RunAsync(spellId, null, _ => ModelState.IsValid
            ? adt.SetExpectedDischargeAsync(spellId, new ExpectedDischargeRequest(iso is null ? null : DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), cancel)
            : Task.FromResult(AdtResult.Invalid()), cancel);
    }

    public Task<IActionResult> OnPostDischargeAsync(int spellId, CancellationToken cancel) =>
        RunAsync(spellId, "DischargeAt", at => adt.DischargeAsync(spellId, new DischargeRequest(DischargeMethod, DischargeDestination, at), cancel), cancel);

    public Task<IActionResult> OnPostUndoAsync(int spellId, CancellationToken cancel) =>
        RunAsync(spellId, null, _ => adt.UndoLastAsync(spellId, new UndoRequest(Reason), cancel), cancel);

    /// <summary>Runs a command with the time typed into the form's "when" inputs (<paramref name="when"/>), or now.</summary>
    private async Task<IActionResult> RunAsync(int spellId, string? when, Func<DateTimeOffset?, Task<AdtResult>> command, CancellationToken cancel)
    {
        if (await LoadAsync(spellId, cancel) is { } elsewhere)
        {
            return elsewhere;
        }
        string? problem = null;
        var at = when is null ? null : WhenInput.FromForm(Request, when, out problem);
        if (when is not null && problem is not null)
        {
            AddError(when, problem);
            return Page();
        }
        var result = await command(at);
        if (result.NotFound)
        {
            return NotFound();
        }
        if (result.Spell is null)
        {
            foreach (var error in result.Errors)
            {
                AddError(error.Field switch { "At" when when is not null => when, "ExpectedDischargeDate" => "ExpectedDischarge", _ => error.Field }, error.Message);
            }
            return Page();
        }
        return Redirect($"/inpatients/spells/{spellId}");
    }

    private async Task<IActionResult?> LoadAsync(int spellId, CancellationToken cancel)
    {
        if (await access.OpenSpellPatientAsync(db, spellId, cancel) is not { } patient)
        {
            return NotFound();
        }
        Patient = patient;
        Spell = await SpellView.LoadAsync(db, spellId, clock.GetUtcNow().UtcDateTime, cancel);
        Wards = await db.Wards.AsNoTracking().OrderBy(w => w.Name).ToListAsync(cancel);
        Teams = await db.ClinicalTeams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancel);
        WardCode ??= Spell.Ward;
        return null;
    }
}
