using Lantern.Server.Audit;
using Lantern.Server.Organisation;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;

namespace Lantern.Server.Inpatients.Beds;

/// <summary>A patient on the board; a sealed record the caller may not see is only "restricted".</summary>
public sealed record BoardPatientView(bool Restricted, int? SpellId, Guid? PatientId, string? FamilyName, string? GivenName, DateOnly? BirthDate,
    Patients.Gender? Gender, string? NhsNumber, DateTime OnWardSince, DateOnly? ExpectedDischargeDate, string? Team)
{
    public static BoardPatientView Of(BoardPatient p, bool maySeeSensitive) => p.IsSensitive && !maySeeSensitive
        ? new(true, null, null, null, null, null, null, null, p.OnWardSince, p.ExpectedDischargeDate, null)
        : new(false, p.SpellId, p.PatientId, p.FamilyName, p.GivenName, p.BirthDate, p.Gender, p.NhsNumber, p.OnWardSince, p.ExpectedDischargeDate, p.Team);
}

public sealed record BoardBedView(string Label, string? Bay, SexOfBay? BaySex, BedStatus Status, BoardPatientView? Patient);

/// <summary>A patient expected on the ward; a sealed record the caller may not see is only "restricted".</summary>
public sealed record ExpectedPatientView(bool Restricted, int ExpectedAdmissionId, Guid? PatientId, string? FamilyName, string? GivenName, DateOnly? BirthDate,
    Patients.Gender? Gender, string? NhsNumber, DateTime ExpectedAt, string AdmissionMethod, string? Team, string? Reason)
{
    public static ExpectedPatientView Of(ExpectedPatient p, bool maySeeSensitive) => p.IsSensitive && !maySeeSensitive
        ? new(true, p.ExpectedAdmissionId, null, null, null, null, null, null, p.ExpectedAt, p.AdmissionMethod, null, null)
        : new(false, p.ExpectedAdmissionId, p.PatientId, p.FamilyName, p.GivenName, p.BirthDate, p.Gender, p.NhsNumber, p.ExpectedAt, p.AdmissionMethod, p.Team, p.Reason);
}

public sealed record WardBoardView(string Code, string Name, IReadOnlyList<BoardBedView> Beds, IReadOnlyList<BoardPatientView> WithoutBed,
    IReadOnlyList<ExpectedPatientView> Expected);

/// <summary>
/// Wards and beds over JSON: the bed state of every ward, one ward's board, bed status changes by ward staff, and
/// layout changes (bays, beds, sex of bay) by system administrators. Refusals are ProblemDetails naming the field.
/// </summary>
public static class WardEndpoints
{
    public static WebApplication MapWardApi(this WebApplication app)
    {
        var wards = app.MapGroup("/api/wards");
        wards.MapGet("", (LanternDb db, CancellationToken cancel) => WardOccupancy.ListAsync(db, cancel))
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewTrustDirectory))
            .WithSummary("Every ward with its beds counted by state (names no patient)");
        wards.MapGet("/{code}/board", async (string code, LanternDb db, CurrentStaff staff, AuditTrail audit, CancellationToken cancel) =>
        {
            if (await WardBoard.LoadAsync(db, code, cancel) is not { } board)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ward");
            }
            var maySee = await staff.MaySeeSensitiveRecordsAsync();
            await audit.SaveAsync(board.Viewed(" (API)"), cancel);
            return Results.Ok(new WardBoardView(board.Ward.Code, board.Ward.Name,
                [.. board.Beds.Select(b => new BoardBedView(b.Bed.Label, b.Bay, b.BaySex, b.Bed.Status, b.Patient is { } p ? BoardPatientView.Of(p, maySee) : null))],
                [.. board.WithoutBed.Select(p => BoardPatientView.Of(p, maySee))], [.. board.Expected.Select(p => ExpectedPatientView.Of(p, maySee))]));
        }).RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics))
            .Describe<WardBoardView>("A ward's bed board: each bed with its patient, and the patients expected; sealed records shown only as restricted");

        wards.MapPost("/{code}/beds/{label}/status", async (string code, string label, BedStatusRequest r, BedManagement beds, CancellationToken cancel) =>
            Answer(await beds.SetBedStatusAsync(code, label, r, cancel)))
            .RequireAuthorization(new RequireActivityAttribute(Activity.UpdateBedStatus))
            .Describe("Mark an empty bed available (cleaned or reopened), waiting for cleaning, or closed");

        var layout = wards.MapGroup("/{code}").RequireAuthorization(new RequireActivityAttribute(Activity.ManageWards));
        layout.MapPost("/bays", async (string code, NewBayRequest r, BedManagement beds, CancellationToken cancel) =>
            Answer(await beds.AddBayAsync(code, r, cancel))).Describe("Add a bay with its designated sex and beds labelled after it");
        layout.MapPut("/bays/{bay}", async (string code, string bay, BayDesignationRequest r, BedManagement beds, CancellationToken cancel) =>
            Answer(await beds.DesignateBayAsync(code, bay, r, cancel))).Describe("Designate a bay male, female or mixed (refused while patients of the other sex are in it)");
        layout.MapPost("/beds", async (string code, NewBedRequest r, BedManagement beds, CancellationToken cancel) =>
            Answer(await beds.AddBedAsync(code, r, cancel))).Describe("Add a bed to a bay, or a side room");
        return app;
    }

    private static IResult Answer(BedManagementResult result) =>
        result.NotFound ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ward, bay or bed")
        : result.Succeeded ? Results.NoContent()
        : FieldProblems.From(result.Errors, result.Conflict);
}
