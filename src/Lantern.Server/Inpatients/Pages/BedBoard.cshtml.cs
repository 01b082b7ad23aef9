using Lantern.Server.Audit;
using Lantern.Server.Organisation;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>One bed with whoever is in it now.</summary>
public sealed record BedOnBoard(Bed Bed, string? Bay, SexOfBay? BaySex, BoardPatient? Patient);

/// <summary>The banner summary of a patient in a bed, with how long they have been here and who they are under.</summary>
public sealed record BoardPatient(int SpellId, Guid PatientId, string FamilyName, string GivenName, DateOnly BirthDate, Patients.Gender Gender,
    string? NhsNumber, bool IsSensitive, DateTime OnWardSince, DateOnly? ExpectedDischargeDate, int? TeamId, string? Team);

/// <summary>
/// The live bed board of a ward: every bed, who is in it, time on the ward, expected discharge and team. Open
/// boards refresh by themselves when anyone admits, transfers or discharges on the ward (server-sent events).
/// Showing the board is one audited read of the ward's list; sensitive patients appear as "Restricted" to staff
/// without permission.
/// </summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class BedBoardModel(LanternDb db, AuditTrail audit, CurrentStaff staff, TimeProvider clock) : PageModel
{
    public Ward Ward { get; private set; } = null!;
    public IReadOnlyList<BedOnBoard> Beds { get; private set; } = [];
    public IReadOnlyList<BoardPatient> WithoutBed { get; private set; } = [];
    public IReadOnlyList<ClinicalTeam> Teams { get; private set; } = [];
    public DateTime Now { get; private set; }
    public bool MaySeeSensitive { get; private set; }

    /// <summary>all, occupied, free, cleaning or closed.</summary>
    [FromQuery] public string? Show { get; set; }

    [FromQuery] public int? Team { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancel) => await LoadAsync(code, cancel) ?? Page();

    /// <summary>Just the grid, for the live refresh.</summary>
    public async Task<IActionResult> OnGetGridAsync(string code, CancellationToken cancel) =>
        await LoadAsync(code, cancel) ?? Partial("/Inpatients/Pages/_BedBoardGrid.cshtml", this);

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken cancel)
    {
        var ward = await db.Wards.AsNoTracking().Include(w => w.Bays).Include(w => w.Beds).AsSplitQuery().FirstOrDefaultAsync(w => w.Code == code, cancel);
        if (ward is null)
        {
            return NotFound();
        }
        Ward = ward;
        Now = clock.GetUtcNow().UtcDateTime;
        MaySeeSensitive = await staff.MaySeeSensitiveRecordsAsync();
        var patients = await db.Spells.AsNoTracking().Where(Spell.Current).Where(s => s.WardId == ward.Id)
            .Select(s => new
            {
                s.BedId,
                Patient = new BoardPatient(s.Id, s.PatientId, s.Patient!.FamilyName, s.Patient.GivenName, s.Patient.BirthDate, s.Patient.Gender,
                    s.Patient.NhsNumber, s.Patient.IsSensitive, s.WardStays.Where(w => w.EndedAt == null).Select(w => w.StartedAt).FirstOrDefault(),
                    s.ExpectedDischargeDate, s.ResponsibleTeamId, s.ResponsibleTeam!.Name),
            })
            .ToListAsync(cancel);
        Teams = [.. await db.ClinicalTeams.AsNoTracking().Where(t => patients.Select(p => p.Patient.TeamId).Contains(t.Id)).OrderBy(t => t.Name).ToListAsync(cancel)];
        var byBed = patients.Where(p => p.BedId is not null).ToDictionary(p => p.BedId!.Value, p => p.Patient);
        var bays = ward.Bays.ToDictionary(b => b.Id);
        Beds = [.. ward.Beds
            .OrderBy(b => b.BayId is null).ThenBy(b => b.BayId is { } bay ? bays[bay].Name : "").ThenBy(b => b.Label.Length).ThenBy(b => b.Label, StringComparer.Ordinal)
            .Select(b => new BedOnBoard(b, b.BayId is { } bay ? bays[bay].Name : null, b.BayId is { } bayId ? bays[bayId].Sex : null, byBed.GetValueOrDefault(b.Id)))
            .Where(Shown)];
        WithoutBed = [.. patients.Where(p => p.BedId is null).Select(p => p.Patient).Where(p => Team is null || p.TeamId == Team)];
        await audit.SaveAsync(new AuditEvent(AuditAction.Read, "BedBoard", ward.Code, Reason: $"{patients.Count} patient(s) listed"), cancel);
        return null;
    }

    private bool Shown(BedOnBoard b) =>
        (Team is null || b.Patient?.TeamId == Team)
        && (Show ?? "all") switch
        {
            "occupied" => b.Patient is not null,
            "free" => b.Bed.Status == BedStatus.Available,
            "cleaning" => b.Bed.Status == BedStatus.Cleaning,
            "closed" => b.Bed.Status == BedStatus.Closed,
            _ => true,
        };
}
