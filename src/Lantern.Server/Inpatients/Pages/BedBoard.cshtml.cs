using Lantern.Server.Audit;
using Lantern.Server.Organisation;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Pages;

/// <summary>
/// The live bed board of a ward: every bed, who is in it, time on the ward, expected discharge and team, and the
/// patients expected (to admit from the list, or cancel). Open
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

    /// <summary>Patients expected on the ward, soonest first.</summary>
    public IReadOnlyList<ExpectedPatient> Expected { get; private set; } = [];
    public DateTime Now { get; private set; }
    public bool MaySeeSensitive { get; private set; }
    public bool MayAdmit => staff.Can(Activity.AdmitTransferDischarge);

    /// <summary>all, occupied, free, cleaning or closed.</summary>
    [FromQuery] public string? Show { get; set; }

    [FromQuery] public int? Team { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancel) => await LoadAsync(code, cancel) ?? Page();

    /// <summary>Just the grid, for the live refresh.</summary>
    public async Task<IActionResult> OnGetGridAsync(string code, CancellationToken cancel) =>
        await LoadAsync(code, cancel) ?? Partial("/Inpatients/Pages/_BedBoardGrid.cshtml", this);

    private async Task<IActionResult?> LoadAsync(string code, CancellationToken cancel)
    {
        if (await WardBoard.LoadAsync(db, code, cancel) is not { } board)
        {
            return NotFound();
        }
        Ward = board.Ward;
        Teams = board.Teams;
        Now = clock.GetUtcNow().UtcDateTime;
        MaySeeSensitive = await staff.MaySeeSensitiveRecordsAsync();
        Beds = [.. board.Beds.Where(Shown)];
        WithoutBed = [.. board.WithoutBed.Where(p => Team is null || p.TeamId == Team)];
        Expected = [.. board.Expected.Where(p => Team is null || p.TeamId == Team)];
        await audit.SaveAsync(board.Viewed(), cancel);
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
