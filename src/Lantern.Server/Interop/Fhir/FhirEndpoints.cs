using System.Globalization;
using Hl7.Fhir.Model;
using Lantern.Server.Interop.Fhir.Store;
using Lantern.Server.Interop.Fhir.Validation;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Patients.Search;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using FhirPatient = Hl7.Fhir.Model.Patient;
using Interaction = Hl7.Fhir.Model.CapabilityStatement.TypeRestfulInteraction;

namespace Lantern.Server.Interop.Fhir;

/// <summary>
/// FHIR R4 at /fhir: the CapabilityStatement, and Patient (UK Core) read, search, create (also conditional, with
/// If-None-Exist) and version-aware update (If-Match). The same domain commands, validation, access checks and
/// audit as the pages and the JSON API; refusals are OperationOutcomes naming the element or parameter.
/// </summary>
public static class FhirEndpoints
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<FhirSearchParameter>> SearchParameters =
        FhirSearchIndex.StoredTypes.ToDictionary(t => t, FhirSearchIndex.Parameters).Append(new("Patient", FhirPatientSearch.Parameters)).ToDictionary();

    public static WebApplication MapFhir(this WebApplication app)
    {
        // Staff signed in to Lantern, or a registered system with an access token (its SMART scopes decide).
        var fhir = app.MapGroup("/fhir").ExcludeFromDescription().RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute
        {
            AuthenticationSchemes = Security.OAuth.OAuthRegistration.StaffOrSystemScheme,
        });
        // Public, as FHIR and SMART clients discover a server by it: it holds no patient data.
        fhir.MapGet("/metadata", (HttpRequest request, EndpointDataSource endpoints, TimeProvider clock) =>
            FhirFormat.Resource(FhirCapabilities.Build(endpoints, SearchParameters, clock.GetUtcNow(), $"{request.Scheme}://{request.Host}{request.PathBase}"))).AllowAnonymous();

        fhir.MapGet("/Patient/{id}", ReadPatientAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics)).WithMetadata(new FhirInteraction("Patient", Interaction.Read));
        fhir.MapGet("/Patient", SearchPatientsAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics)).WithMetadata(new FhirInteraction("Patient", Interaction.SearchType));
        fhir.MapPost("/Patient", CreatePatientAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.RegisterPatient)).WithMetadata(new FhirInteraction("Patient", Interaction.Create));
        fhir.MapPut("/Patient/{id}", UpdatePatientAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.RegisterPatient)).WithMetadata(new FhirInteraction("Patient", Interaction.Update));
        fhir.MapGet("/Patient/{id}/_history/{version}", PatientVersionAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics)).WithMetadata(new FhirInteraction("Patient", Interaction.Vread));
        fhir.MapGet("/Patient/{id}/_history", PatientHistoryAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics)).WithMetadata(new FhirInteraction("Patient", Interaction.HistoryInstance));
        fhir.MapGet("/Patient/{id}/$everything", EverythingAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewClinicalRecord)).WithMetadata(new FhirInteraction("Patient", Interaction.Read), new FhirOperation("Patient", "everything", "http://hl7.org/fhir/OperationDefinition/Patient-everything"));
        fhir.MapGet("/Encounter/spell-{spellId:int}", FhirEncounters.ReadAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics)).WithMetadata(new FhirInteraction("Encounter", Interaction.Read));
        fhir.MapFhirStore();
        fhir.MapFhirValidate();
        // Transaction and batch Bundles: each entry is checked again as its own interaction.
        fhir.MapPost("", async (HttpRequest request, FhirBundles bundles, FhirValidation validation, CancellationToken cancel) =>
        {
            var body = await FhirFormat.BodyAsync(request, cancel);
            if (FhirFormat.IsBlank(body))
            {
                return FhirFormat.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "Send a Bundle resource in the body");
            }
            var (bundle, problems) = TransactionBundle.Parse(body, request.ContentType);
            if (bundle is null)
            {
                return FhirFormat.Outcome(StatusCodes.Status400BadRequest, problems);
            }
            var check = validation.ValidateTransaction(bundle);
            if (check.ParseIssues.Count > 0)
            {
                return FhirFormat.Outcome(StatusCodes.Status400BadRequest, check.ParseIssues);
            }
            return check.Issues.Any(i => i.IsError()) ? FhirFormat.Outcome(StatusCodes.Status422UnprocessableEntity, check.Issues)
                : await bundles.ProcessAsync(bundle, check.Entries!, cancel);
        }).RequireAuthorization(new RequireActivityAttribute(Activity.WriteClinicalNote)).WithMetadata(new FhirInteraction(FhirInteraction.SystemLevel, Interaction.Create))
            // No size cap on Bundles (a patient's whole record, scanned documents): only authorised writers reach here.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        return app;
    }

    private static IResult NotFound(string id) =>
        FhirFormat.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"No Patient/{id}");

    private static async Task<IResult> ReadPatientAsync(string id, PatientAccess access, CancellationToken cancel)
    {
        if (!Guid.TryParse(id, out var patientId))
        {
            return NotFound(id);
        }
        var decision = await access.OpenDemographicsAsync(patientId, cancel);
        switch (decision.Level)
        {
            case PatientAccessLevel.DemographicsOnly:
                return FhirFormat.Resource(FhirPatients.ToFhir(decision.Patient!));
            case PatientAccessLevel.Merged:
                // A merged-away registration: inactive, pointing at the record that replaced it.
                var retired = FhirPatients.ToFhir(decision.Patient!);
                retired.Active = false;
                retired.Link.Add(new FhirPatient.LinkComponent { Type = FhirPatient.LinkType.ReplacedBy, Other = new ResourceReference($"Patient/{decision.Patient!.MergedIntoId}") });
                return FhirFormat.Resource(retired);
            default:
                return NotFound(id);
        }
    }

    private static async Task<IResult> SearchPatientsAsync(HttpRequest request, PatientSearch search, PatientAccess access, LanternDb db, FhirStore store, CancellationToken cancel)
    {
        var (criteria, id, problems) = FhirPatientSearch.Parse(request.Query);
        if (problems.Count > 0)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, problems.Select(p => (p.Parameter, p.Message)));
        }
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Id = Guid.NewGuid().ToString() };
        var self = $"{FhirLinks.Base(request)}/Patient{request.QueryString}";
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = self });
        if (id is not null)
        {
            // _id alone: a read, as a search (audited the same way).
            var found = Guid.TryParse(id, out var patientId) ? await access.OpenDemographicsAsync(patientId, cancel) : null;
            if (found?.Level == PatientAccessLevel.DemographicsOnly)
            {
                bundle.Entry.Add(FhirLinks.Entry(request, FhirPatients.ToFhir(found.Patient!)));
            }
            bundle.Total = bundle.Entry.Count;
            return FhirFormat.Resource(bundle);
        }
        var name = request.Query["name"].FirstOrDefault();
        var (parsed, errors) = (name is null ? criteria! : criteria! with { FamilyName = name }).Validate();
        if (parsed is null)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, errors.Select(e => (name is null ? FhirPatientSearch.ParameterOf(e.Field) : "name", e.Message)));
        }
        var page = name is null ? await search.SearchAsync(parsed, cancel) : await AnyNameAsync(search, criteria!, name, cancel);
        if (page is null)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.TooCostly, $"A name search pages through at most {PatientSearchCriteria.MaxPageSize} patients: narrow it", "_page");
        }
        var ids = page.Patients.Select(p => p.Id).ToList();
        var patients = await db.Patients.AsNoTracking().Include(p => p.PreviousNames).Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancel);
        foreach (var patientId in ids)
        {
            bundle.Entry.Add(FhirLinks.Entry(request, FhirPatients.ToFhir(patients[patientId])));
        }
        var revincludes = request.Query["_revinclude"].OfType<string>().Select(r => r.Split(':')[0]).Distinct().ToList();
        foreach (var patientId in revincludes.Count == 0 ? [] : ids)
        {
            // Clinical resources only for patients this caller may see clinically (each decision audited).
            if (await store.MayAccessAsync(patientId, cancel) is not null)
            {
                continue;
            }
            foreach (var row in await db.FhirResources.AsNoTracking().Where(r => r.PatientId == patientId && revincludes.Contains(r.ResourceType)).OrderBy(r => r.Id).Take(500).ToListAsync(cancel))
            {
                bundle.Entry.Add(FhirLinks.Entry(request, FhirStore.Parse(row.Json), Bundle.SearchEntryMode.Include));
            }
        }
        if (page.HasMore)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = FhirLinks.Page(request, "Patient", page.Page + 1) });
        }
        if (page.Page > 1)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "previous", Url = FhirLinks.Page(request, "Patient", page.Page - 1) });
        }
        return FhirFormat.Resource(bundle);
    }

    /// <summary>A version of a registration: the current one, or one kept when it was saved (registrations made before versions were kept, or bulk-loaded, have no earlier copies).</summary>
    /// <summary>A registration this caller may see, current or merged away (its versions stay readable); null otherwise.</summary>
    private static async Task<PatientAccessDecision?> OpenPatientAsync(string id, PatientAccess access, CancellationToken cancel) =>
        Guid.TryParse(id, out var patientId) && await access.OpenDemographicsAsync(patientId, cancel) is { Level: PatientAccessLevel.DemographicsOnly or PatientAccessLevel.Merged } decision
            ? decision
            : null;

    private static async Task<IResult> PatientVersionAsync(string id, string version, PatientAccess access, FhirStore store, CancellationToken cancel)
    {
        if (await OpenPatientAsync(id, access, cancel) is not { } decision)
        {
            return NotFound(id);
        }
        if (version == decision.Patient!.Version.ToString(CultureInfo.InvariantCulture))
        {
            return FhirFormat.Resource(FhirPatients.ToFhir(decision.Patient));
        }
        var kept = int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? await store.VersionAsync("Patient", id, v, cancel) : null;
        return kept is null
            ? FhirFormat.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"Patient/{id} has no version {version} kept")
            : FhirFormat.Resource(FhirStore.Parse(kept.Json));
    }

    private static async Task<IResult> PatientHistoryAsync(string id, HttpRequest request, PatientAccess access, FhirStore store, CancellationToken cancel)
    {
        if (await OpenPatientAsync(id, access, cancel) is not { } decision)
        {
            return NotFound(id);
        }
        var kept = await store.HistoryAsync("Patient", id, cancel);
        var bundle = new Bundle { Type = Bundle.BundleType.History, Id = Guid.NewGuid().ToString() };
        var current = decision.Patient!.Version;
        if (kept.FirstOrDefault()?.VersionId != current)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{FhirLinks.Base(request)}/Patient/{id}", Resource = FhirPatients.ToFhir(decision.Patient) });
        }
        foreach (var version in kept)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{FhirLinks.Base(request)}/Patient/{id}",
                Resource = FhirStore.Parse(version.Json),
                Request = new Bundle.RequestComponent { Method = version.Method == "POST" ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT, Url = version.Method == "POST" ? "Patient" : $"Patient/{id}" },
            });
        }
        bundle.Total = bundle.Entry.Count;
        return FhirFormat.Resource(bundle);
    }

    /// <summary>
    /// Patient/{id}/$everything: the patient, their inpatient spells as Encounters, and every resource the store
    /// holds about them, for a clinician with a relationship (or break-glass) or a system with the scopes; the
    /// stored resources paged by _count (default 500).
    /// </summary>
    private static async Task<IResult> EverythingAsync(string id, HttpRequest request, FhirStore store, LanternDb db, TimeProvider clock, CancellationToken cancel)
    {
        if (!Guid.TryParse(id, out var patientId))
        {
            return NotFound(id);
        }
        if (await store.MayAccessAsync(patientId, cancel) is { } refusal)
        {
            return FhirFormat.Outcome(refusal.Status, refusal.Type, refusal.Message);
        }
        var patient = await db.Patients.AsNoTracking().Include(p => p.PreviousNames).FirstAsync(p => p.Id == patientId, cancel);
        var count = int.TryParse(request.Query["_count"], out var c) && c is > 0 and <= 5000 ? c : 500;
        var page = int.TryParse(request.Query["_page"], out var p) && p > 0 ? p : 1;
        var rows = await db.FhirResources.AsNoTracking().Where(r => r.PatientId == patientId).OrderBy(r => r.Id)
            .Skip((page - 1) * count).Take(count + 1).Select(r => new { r.ResourceType, r.LogicalId, r.Json }).ToListAsync(cancel);
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Id = Guid.NewGuid().ToString() };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = $"{FhirLinks.Base(request)}/Patient/{id}/$everything{request.QueryString}" });
        if (page == 1)
        {
            // The patient and their inpatient spells (kept by the inpatient module, not the store) head the first page.
            bundle.Entry.Add(FhirLinks.Entry(request, FhirPatients.ToFhir(patient)));
            foreach (var spell in await FhirEncounters.ForPatientAsync(db, patientId, clock.GetUtcNow().UtcDateTime, cancel))
            {
                bundle.Entry.Add(FhirLinks.Entry(request, spell));
            }
        }
        foreach (var row in rows.Take(count))
        {
            bundle.Entry.Add(FhirLinks.Entry(request, FhirStore.Parse(row.Json)));
        }
        if (rows.Count > count)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{FhirLinks.Base(request)}/Patient/{id}/$everything?_count={count}&_page={page + 1}" });
        }
        return FhirFormat.Resource(bundle);
    }

    /// <summary>
    /// name=: patients whose family name (current or previous) or given name starts with it: the two indexed
    /// searches, merged in name order. Null when the page asked for lies beyond what the merge can page through.
    /// </summary>
    private static async Task<PatientSearchPage?> AnyNameAsync(PatientSearch search, PatientSearchCriteria criteria, string name, CancellationToken cancel)
    {
        var wanted = criteria.Page * criteria.PageSize;
        if (wanted > PatientSearchCriteria.MaxPageSize)
        {
            return null;
        }
        var byFamily = criteria with { FamilyName = name, Page = 1, PageSize = wanted };
        var byGiven = criteria with { GivenName = name, Page = 1, PageSize = wanted };
        var family = await search.SearchAsync(byFamily.Validate().Search!, cancel);
        var given = byGiven.Validate().Search is { } g ? await search.SearchAsync(g, cancel) : new PatientSearchPage([], 1, wanted, false);
        var merged = family.Patients.Concat(given.Patients).DistinctBy(p => p.Id)
            .OrderBy(p => p.FamilyNameKey, StringComparer.Ordinal).ThenBy(p => p.GivenNameKey, StringComparer.Ordinal).ThenBy(p => p.BirthDate).ThenBy(p => p.Mrn, StringComparer.Ordinal)
            .ToList();
        return new PatientSearchPage([.. merged.Skip((criteria.Page - 1) * criteria.PageSize).Take(criteria.PageSize)], criteria.Page, criteria.PageSize,
            merged.Count > wanted || family.HasMore || given.HasMore);
    }

    private static async Task<IResult> CreatePatientAsync(HttpRequest request, PatientRegistry registry, PatientSearch search, PatientAccess access,
        CurrentStaff staff, TimeProvider clock, CancellationToken cancel)
    {
        if (staff.ConfinedToPatient is not null)
        {
            return FhirFormat.Outcome(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, "An app launched on one patient may not register another");
        }
        var (resource, problem) = await FhirFormat.ReadAsync<FhirPatient>(request, cancel);
        if (problem is not null)
        {
            return problem;
        }
        // Conditional create: an integration resending a patient it already sent gets the existing one.
        if (request.Headers["If-None-Exist"].ToString() is { Length: > 0 } condition)
        {
            var (matches, problems) = await FhirPatientSearch.MatchAsync(search, condition, cancel);
            if (matches is null)
            {
                return FhirFormat.Outcome(StatusCodes.Status400BadRequest, problems.Select(p => ("If-None-Exist: " + p.Parameter, p.Message)));
            }
            if (matches.Count > 1)
            {
                return FhirFormat.Outcome(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.MultipleMatches, "More than one patient matches If-None-Exist");
            }
            if (matches.Count == 1)
            {
                var existing = await access.OpenDemographicsAsync(matches[0].Id, cancel);
                return FhirFormat.Resource(FhirPatients.ToFhir(existing.Patient!));
            }
        }
        var (demographics, fieldErrors) = FhirPatients.ToDetails(resource!).Validate(UkTime.Today(clock));
        if (demographics is null)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, fieldErrors.Select(e => (FhirPatients.ElementOf(e.Field), e.Message)));
        }
        var result = await registry.RegisterAsync(demographics, acceptDuplicates: true, cancel);
        return result.Outcome == RegistrationOutcome.NhsNumberInUse
            ? NhsNumberInUse(result)
            : FhirFormat.Resource(FhirPatients.ToFhir(result.Patient!), StatusCodes.Status201Created, Location(result.Patient!));
    }

    private static async Task<IResult> UpdatePatientAsync(string id, HttpRequest request, PatientRegistry registry, PatientAccess access, TimeProvider clock, CancellationToken cancel)
    {
        if (!Guid.TryParse(id, out var patientId))
        {
            return NotFound(id);
        }
        var (resource, problem) = await FhirFormat.ReadAsync<FhirPatient>(request, cancel);
        if (problem is not null)
        {
            return problem;
        }
        if (resource!.Id != id)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"The resource's id ({resource.Id ?? "none"}) must be the id in the URL ({id})", "Patient.id");
        }
        if (Patients.PatientEndpoints.ParseIfMatch(request.Headers.IfMatch.ToString()) is not { } version)
        {
            return FhirFormat.Outcome(StatusCodes.Status428PreconditionRequired, OperationOutcome.IssueType.Required,
                "Send If-Match with the version you read (W/\"n\"), so that nobody's change is overwritten unseen");
        }
        if ((await access.OpenDemographicsAsync(patientId, cancel)).Level != PatientAccessLevel.DemographicsOnly)
        {
            return NotFound(id);
        }
        var (demographics, fieldErrors) = FhirPatients.ToDetails(resource).Validate(UkTime.Today(clock));
        if (demographics is null)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, fieldErrors.Select(e => (FhirPatients.ElementOf(e.Field), e.Message)));
        }
        var result = await registry.UpdateAsync(patientId, version, demographics, cancel);
        return result.Outcome switch
        {
            RegistrationOutcome.Updated => FhirFormat.Resource(FhirPatients.ToFhir(result.Patient!)),
            RegistrationOutcome.EditedByAnother => FhirFormat.Outcome(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Conflict,
                $"The patient was changed since your read (now version {result.Patient!.Version}): read it again and reapply your change"),
            RegistrationOutcome.NhsNumberInUse => NhsNumberInUse(result),
            _ => NotFound(id),
        };
    }

    private static IResult NhsNumberInUse(RegistrationResult result) =>
        FhirFormat.Outcome(StatusCodes.Status409Conflict, OperationOutcome.IssueType.Duplicate,
            $"This NHS number is already registered to {result.NhsNumberHolderMrn}", FhirPatients.ElementOf(nameof(PatientDetails.NhsNumber)));

    private static string Location(Patients.Patient p) => $"/fhir/Patient/{p.Id}/_history/{p.Version.ToString(CultureInfo.InvariantCulture)}";
}
