using System.Globalization;
using System.Text.Json;
using Lantern.Server.Patients.Merging;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Patients.Search;
using Lantern.Server.Platform;
using Lantern.Server.Security;

namespace Lantern.Server.Patients;

/// <summary>Registration details plus the clerk's answer to the duplicate check.</summary>
public sealed record RegisterPatientRequest
{
    public PatientDetails Details { get; init; } = new();

    /// <summary>True once the possible duplicates (409) have been reviewed and found to be other people.</summary>
    public bool AcceptPossibleDuplicates { get; init; }
}

public sealed record PatientResource(Guid Id, string Mrn, int Version, DateTime RegisteredAt, PatientDetails Details,
    IReadOnlyList<PreviousName> PreviousNames, bool IsSensitive)
{
    public static PatientResource From(Patient p) =>
        new(p.Id, p.Mrn, p.Version, p.RegisteredAt, PatientDetails.From(p), p.PreviousNames, p.IsSensitive);
}

public sealed record MergeRequest(Guid SurvivorId, Guid RetiredId, string? Reason);

public sealed record UnmergeRequest(string? Reason);

/// <summary>
/// The master patient index over JSON: register (with the duplicate check), read, update with If-Match,
/// search (a POST, so NHS numbers stay out of URLs and logs), merge and unmerge. Problems come back as
/// ProblemDetails, with field errors named as in the request body.
/// </summary>
public static class PatientEndpoints
{
    public static WebApplication MapPatientApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");

        api.MapPost("/patients", async (RegisterPatientRequest request, PatientRegistry registry, TimeProvider clock, CancellationToken cancel) =>
        {
            var (demographics, errors) = request.Details.Validate(UkTime.Today(clock));
            if (demographics is null)
            {
                return Invalid(errors, "details.");
            }
            var result = await registry.RegisterAsync(demographics, request.AcceptPossibleDuplicates, cancel);
            return result.Outcome switch
            {
                RegistrationOutcome.Registered => Results.Created($"/api/patients/{result.Patient!.Id}", PatientResource.From(result.Patient)),
                RegistrationOutcome.NhsNumberInUse => NhsNumberInUse(result, "details."),
                _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Possible duplicate registration",
                    detail: "Existing patients may be this person. Review them; if none is, send again with acceptPossibleDuplicates set to true.",
                    extensions: new Dictionary<string, object?> { ["duplicates"] = result.Duplicates }),
            };
        }).RequireAuthorization(new RequireActivityAttribute(Activity.RegisterPatient))
            .Describe<PatientResource>("Register a patient; 409 lists possible duplicates unless acceptPossibleDuplicates is true", StatusCodes.Status201Created);

        api.MapGet("/patients/{id:guid}", async (Guid id, PatientAccess access, HttpContext http, CancellationToken cancel) =>
        {
            var decision = await access.OpenDemographicsAsync(id, cancel);
            switch (decision.Level)
            {
                case PatientAccessLevel.NotFound:
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Patient not found");
                case PatientAccessLevel.Merged:
                    http.Response.Headers.Location = $"/api/patients/{decision.Patient!.MergedIntoId}";
                    return Results.StatusCode(StatusCodes.Status307TemporaryRedirect);
            }
            http.Response.Headers.ETag = ETag(decision.Patient!);
            return Results.Ok(PatientResource.From(decision.Patient!));
        }).RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics))
            .Describe<PatientResource>("Read a patient's demographics with an ETag; a merged record answers 307 to the survivor");

        api.MapPut("/patients/{id:guid}", async (Guid id, PatientDetails details, HttpContext http, PatientAccess access,
            PatientRegistry registry, TimeProvider clock, CancellationToken cancel) =>
        {
            if (ParseIfMatch(http.Request.Headers.IfMatch.ToString()) is not { } version)
            {
                return Results.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required",
                    detail: "Send the ETag from your last read in If-Match, so that nobody's change is overwritten unseen.");
            }
            var decision = await access.OpenDemographicsAsync(id, cancel);
            if (decision.Level != PatientAccessLevel.DemographicsOnly)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Patient not found",
                    detail: decision.Level == PatientAccessLevel.Merged ? "This record has been merged into another" : null);
            }
            var (demographics, errors) = details.Validate(UkTime.Today(clock));
            if (demographics is null)
            {
                return Invalid(errors, "");
            }
            var result = await registry.UpdateAsync(id, version, demographics, cancel);
            switch (result.Outcome)
            {
                case RegistrationOutcome.Updated:
                    http.Response.Headers.ETag = ETag(result.Patient!);
                    return Results.Ok(PatientResource.From(result.Patient!));
                case RegistrationOutcome.EditedByAnother:
                    return Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed by someone else",
                        detail: $"The patient was changed since your read (now version {result.Patient!.Version}). Read it again and reapply your change.");
                case RegistrationOutcome.NhsNumberInUse:
                    return NhsNumberInUse(result, "");
                default:
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Patient not found");
            }
        }).RequireAuthorization(new RequireActivityAttribute(Activity.RegisterPatient))
            .Describe<PatientResource>("Update demographics; needs If-Match with the ETag of your read (428 without, 412 if changed since)");

        api.MapPost("/patients/search", async (PatientSearchCriteria criteria, PatientSearch search, CancellationToken cancel) =>
        {
            var (parsed, errors) = criteria.Validate();
            return parsed is null ? Invalid(errors, "") : Results.Ok(await search.SearchAsync(parsed, cancel));
        }).RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics))
            .Describe<PatientSearchPage>("Search by NHS number (any spacing), MRN, family name (prefix or sound), given name, date of birth or year, postcode, sex");

        api.MapPost("/patients/duplicates", async (PatientDetails details, DuplicateCheck duplicates, TimeProvider clock, CancellationToken cancel) =>
        {
            var (demographics, errors) = details.Validate(UkTime.Today(clock));
            return demographics is null ? Invalid(errors, "") : Results.Ok(await duplicates.FindAsync(demographics, cancel: cancel));
        }).RequireAuthorization(new RequireActivityAttribute(Activity.RegisterPatient))
            .WithSummary("Score existing patients who may be the person about to be registered");

        api.MapPost("/patient-merges", async (MergeRequest request, PatientMerger merger, PatientAccess access, CancellationToken cancel) =>
        {
            if (string.IsNullOrWhiteSpace(request.Reason))
            {
                return Invalid([new FieldError(nameof(MergeRequest.Reason), "Give the reason for the merge")], "");
            }
            foreach (var id in new[] { request.SurvivorId, request.RetiredId })
            {
                switch ((await access.OpenDemographicsAsync(id, cancel)).Level)
                {
                    case PatientAccessLevel.NotFound:
                        return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Patient not found", detail: $"No patient {id}");
                    case PatientAccessLevel.Merged:
                        return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Merge refused", detail: $"{id} is already merged into another record");
                }
            }
            var result = await merger.MergeAsync(request.SurvivorId, request.RetiredId, request.Reason.Trim(), cancel);
            return result.Merge is { } merge
                ? Results.Created($"/api/patient-merges/{merge.Id}", new { merge.Id, merge.SurvivorId, merge.RetiredId, MovedRecords = merge.Moves.Count })
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Merge refused", detail: result.Problem);
        }).RequireAuthorization(new RequireActivityAttribute(Activity.MergePatients))
            .WithSummary("Merge a duplicate registration into the survivor, moving every linked record").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/patient-merges/{id:guid}/unmerge", async (Guid id, UnmergeRequest request, PatientMerger merger, CancellationToken cancel) =>
        {
            if (string.IsNullOrWhiteSpace(request.Reason))
            {
                return Invalid([new FieldError(nameof(UnmergeRequest.Reason), "Give the reason for undoing the merge")], "");
            }
            var result = await merger.UnmergeAsync(id, request.Reason.Trim(), cancel);
            return result.Merge is { } merge
                ? Results.Ok(new { merge.Id, merge.SurvivorId, merge.RetiredId, RestoredRecords = merge.Moves.Count })
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Unmerge refused", detail: result.Problem);
        }).RequireAuthorization(new RequireActivityAttribute(Activity.MergePatients))
            .WithSummary("Undo a merge: every moved record goes back to the retired registration").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static string ETag(Patient p) => $"W/\"{p.Version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version in an If-Match header (W/"3" or "3"); null when absent or not a version.</summary>
    public static int? ParseIfMatch(string header)
    {
        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }
        value = value.Trim('"');
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    private static IResult Invalid(IEnumerable<FieldError> errors, string prefix) =>
        Results.ValidationProblem(errors.GroupBy(e => prefix + JsonNamingPolicy.CamelCase.ConvertName(e.Field))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    private static IResult NhsNumberInUse(RegistrationResult result, string prefix) =>
        Results.ValidationProblem(new Dictionary<string, string[]>
        {
            [prefix + "nhsNumber"] = [$"This NHS number is already registered to {result.NhsNumberHolderMrn}: find that patient instead"],
        }, statusCode: StatusCodes.Status409Conflict, title: "NHS number already registered");
}
