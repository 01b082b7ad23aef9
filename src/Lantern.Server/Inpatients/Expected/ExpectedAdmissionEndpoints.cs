using Lantern.Server.Platform;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Expected;

/// <summary>An expected admission as the API returns it.</summary>
public sealed record ExpectedAdmissionView(int Id, Guid PatientId, ExpectedAdmissionStatus Status, string Ward, int? TeamId, DateTime ExpectedAt, string AdmissionMethod,
    string? VisitNumber, string? Reason, int? SpellId, DateTime? CancelledAt, string? CancellationReason, DateTime RecordedAt, string RecordedBy)
{
    private static IQueryable<ExpectedAdmissionView> Project(IQueryable<ExpectedAdmission> query) => query.AsNoTracking()
        .Select(e => new ExpectedAdmissionView(e.Id, e.PatientId, e.Status, e.Ward!.Code, e.TeamId, e.ExpectedAt, e.AdmissionMethod,
            e.VisitNumber, e.Reason, e.SpellId, e.CancelledAt, e.CancellationReason, e.RecordedAt, e.RecordedBy));

    public static Task<ExpectedAdmissionView?> LoadAsync(LanternDb db, int id, CancellationToken cancel) => Project(db.ExpectedAdmissions.Where(e => e.Id == id)).FirstOrDefaultAsync(cancel);

    /// <summary>A patient's expected admissions, whatever became of them, soonest first.</summary>
    public static Task<List<ExpectedAdmissionView>> ForPatientAsync(LanternDb db, Guid patientId, CancellationToken cancel) =>
        Project(db.ExpectedAdmissions.Where(e => e.PatientId == patientId).OrderBy(e => e.ExpectedAt).ThenBy(e => e.Id)).ToListAsync(cancel);
}

/// <summary>
/// Expected admissions over JSON: record (or re-plan by visit), cancel, read one, a patient's list. A ward's list is on
/// its board (<c>/api/wards/{code}/board</c>). Refusals are ProblemDetails naming the field.
/// </summary>
public static class ExpectedAdmissionEndpoints
{
    public static WebApplication MapExpectedAdmissionApi(this WebApplication app)
    {
        var change = app.MapGroup("/api/inpatients/expected-admissions").RequireAuthorization(new RequireActivityAttribute(Activity.AdmitTransferDischarge));
        change.MapPost("", async (ExpectAdmissionRequest r, ExpectedAdmissions expected, LanternDb db, CancellationToken cancel) =>
            await AnswerAsync(await expected.ExpectAsync(r, cancel), db, created: true, cancel))
            .Describe<ExpectedAdmissionView>("Expect a patient on a ward (a pre-admission, HL7 A05); the same patient and visit number re-plans the open one", StatusCodes.Status201Created);
        change.MapPost("/{id:int}/cancel", async (int id, CancelExpectedAdmissionRequest r, ExpectedAdmissions expected, LanternDb db, CancellationToken cancel) =>
            await AnswerAsync(await expected.CancelAsync(id, r, cancel), db, created: false, cancel))
            .Describe<ExpectedAdmissionView>("Cancel an expected admission that has not happened, with the reason (HL7 A38)");

        app.MapGet("/api/inpatients/expected-admissions/{id:int}", async (int id, LanternDb db, PatientAccess access, CancellationToken cancel) =>
        {
            var view = await ExpectedAdmissionView.LoadAsync(db, id, cancel);
            if (view is null || (await access.OpenDemographicsAsync(view.PatientId, cancel)).Level != PatientAccessLevel.DemographicsOnly)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such expected admission");
            }
            return Results.Ok(view);
        }).RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics))
            .Describe<ExpectedAdmissionView>("An expected admission: where and when, and whether the patient came (the spell) or it was cancelled");
        app.MapGet("/api/patients/{id:guid}/expected-admissions", async (Guid id, LanternDb db, PatientAccess access, CancellationToken cancel) =>
        {
            if ((await access.OpenDemographicsAsync(id, cancel)).Level != PatientAccessLevel.DemographicsOnly)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such patient");
            }
            return Results.Ok(await ExpectedAdmissionView.ForPatientAsync(db, id, cancel));
        }).RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics))
            .Describe<List<ExpectedAdmissionView>>("A patient's expected admissions, soonest first, whatever became of them");
        return app;
    }

    private static async Task<IResult> AnswerAsync(ExpectedResult result, LanternDb db, bool created, CancellationToken cancel)
    {
        if (result.NotFound)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such expected admission");
        }
        if (result.Expected is not { } expected)
        {
            return FieldProblems.From(result.Errors, result.Conflict);
        }
        var view = await ExpectedAdmissionView.LoadAsync(db, expected.Id, cancel);
        return created ? Results.Created($"/api/inpatients/expected-admissions/{expected.Id}", view) : Results.Ok(view);
    }
}
