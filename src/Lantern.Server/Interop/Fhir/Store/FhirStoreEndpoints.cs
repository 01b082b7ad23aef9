using System.Globalization;
using Hl7.Fhir.Model;
using Lantern.Server.Audit;
using AuditEvent = Lantern.Server.Audit.AuditEvent;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;
using Interaction = Hl7.Fhir.Model.CapabilityStatement.TypeRestfulInteraction;

namespace Lantern.Server.Interop.Fhir.Store;

/// <summary>
/// FHIR interactions on the stored resource types (<see cref="FhirSearchIndex.StoredTypes"/>): read, vread,
/// history, search, create and version-aware update. Staff need a clinical role (and a relationship with the
/// patient); systems need the SMART scope for the type.
/// </summary>
public static class FhirStoreEndpoints
{
    public const int DefaultCount = 50;
    public const int MaxCount = 500;

    public static RouteGroupBuilder MapFhirStore(this RouteGroupBuilder fhir)
    {
        fhir.MapGet("/{type}/{id}", ReadAsync).RequireAuthorization(new RequireActivityAttribute(Activity.ViewClinicalRecord)).WithMetadata(new FhirInteraction("*", Interaction.Read));
        fhir.MapGet("/{type}/{id}/_history/{version}", VersionAsync).RequireAuthorization(new RequireActivityAttribute(Activity.ViewClinicalRecord)).WithMetadata(new FhirInteraction("*", Interaction.Vread));
        fhir.MapGet("/{type}/{id}/_history", HistoryAsync).RequireAuthorization(new RequireActivityAttribute(Activity.ViewClinicalRecord)).WithMetadata(new FhirInteraction("*", Interaction.HistoryInstance));
        fhir.MapGet("/{type}", SearchAsync).RequireAuthorization(new RequireActivityAttribute(Activity.ViewClinicalRecord)).WithMetadata(new FhirInteraction("*", Interaction.SearchType));
        fhir.MapPost("/{type}", CreateAsync).RequireAuthorization(new RequireActivityAttribute(Activity.WriteClinicalNote)).WithMetadata(new FhirInteraction("*", Interaction.Create));
        fhir.MapPut("/{type}/{id}", UpdateAsync).RequireAuthorization(new RequireActivityAttribute(Activity.WriteClinicalNote)).WithMetadata(new FhirInteraction("*", Interaction.Update));
        return fhir;
    }

    private static IResult? Unsupported(string type) => FhirSearchIndex.StoredTypes.Contains(type) ? null
        : FhirFormat.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotSupported, $"Lantern does not hold {type} resources: see /fhir/metadata");

    private static IResult Refused(StoreRefusal r) => FhirFormat.Outcome(r.Status, r.Type, r.Message, r.Expression is null ? [] : [r.Expression]);

    /// <summary>A stored resource this caller may see; otherwise the OperationOutcome (unknown type, not found, refused).</summary>
    private static async Task<(StoredResource? Row, IResult? Problem)> OpenAsync(string type, string id, FhirStore store, CancellationToken cancel)
    {
        if (Unsupported(type) is { } unsupported)
        {
            return (null, unsupported);
        }
        var (row, refusal) = await store.ReadAsync(type, id, cancel);
        return refusal is not null ? (null, Refused(refusal)) : (row, null);
    }

    private static async Task<IResult> ReadAsync(string type, string id, FhirStore store, CancellationToken cancel)
    {
        var (row, problem) = await OpenAsync(type, id, store, cancel);
        return problem ?? FhirFormat.Resource(FhirStore.Parse(row!.Json));
    }

    private static async Task<IResult> VersionAsync(string type, string id, string version, FhirStore store, CancellationToken cancel)
    {
        var (_, problem) = await OpenAsync(type, id, store, cancel);
        if (problem is not null)
        {
            return problem;
        }
        var found = int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? await store.VersionAsync(type, id, number, cancel) : null;
        return found is null
            ? FhirFormat.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"{type}/{id} has no version {version}")
            : FhirFormat.Resource(FhirStore.Parse(found.Json));
    }

    private static async Task<IResult> HistoryAsync(string type, string id, HttpRequest request, FhirStore store, CancellationToken cancel)
    {
        var (_, problem) = await OpenAsync(type, id, store, cancel);
        if (problem is not null)
        {
            return problem;
        }
        var bundle = new Bundle { Type = Bundle.BundleType.History, Id = Guid.NewGuid().ToString() };
        foreach (var version in await store.HistoryAsync(type, id, cancel))
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{FhirLinks.Base(request)}/{type}/{id}",
                Resource = FhirStore.Parse(version.Json),
                Request = new Bundle.RequestComponent { Method = version.Method == "POST" ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT, Url = version.Method == "POST" ? type : $"{type}/{id}" },
                Response = new Bundle.ResponseComponent { Status = version.Method == "POST" ? "201" : "200", LastModified = new DateTimeOffset(version.LastUpdated, TimeSpan.Zero) },
            });
        }
        bundle.Total = bundle.Entry.Count;
        return FhirFormat.Resource(bundle);
    }

    private static async Task<IResult> SearchAsync(string type, HttpRequest request, FhirStore store, LanternDb db, CurrentStaff staff, AuditTrail audit,
        TimeProvider clock, CancellationToken cancel)
    {
        if (Unsupported(type) is { } unsupported)
        {
            return unsupported;
        }
        var (search, problems) = FhirStoreSearch.Parse(type, request.Query);
        if (problems.Count > 0)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, problems);
        }
        if (FhirSearchIndex.IsAboutAPatient(type) && search!.PatientId is null && !staff.IsSystem)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, [("patient", $"Search {type} for one patient: add patient=Patient/{{id}}")]);
        }
        if (await store.MayAccessAsync(search!.PatientId, cancel) is { } refusal)
        {
            return Refused(refusal);
        }
        var rows = await FhirStoreSearch.Apply(db.FhirResources.AsNoTracking().Where(r => r.ResourceType == type), search)
            .OrderBy(r => r.Id).Skip((search.Page - 1) * search.Count).Take(search.Count + 1).ToListAsync(cancel);
        var matches = rows.Take(search.Count).Select(row => FhirStore.Parse(row.Json)).ToList();
        var revIncluded = search.RevIncludes is { Count: > 0 } revIncludes ? await FhirIncludes.ReverseAsync(matches, revIncludes, search.PatientId!.Value, db, cancel) : [];
        if (revIncluded is null)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.TooCostly,
                $"_revinclude looks through at most {FhirIncludes.MaxRevIncludeScan} of a patient's resources of a type: search that type directly", "_revinclude");
        }
        await audit.SaveAsync(new AuditEvent(AuditAction.Search, type, null, search.PatientId, $"FHIR search {request.QueryString}; {Math.Min(rows.Count, search.Count)} result(s)"), cancel);
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Id = Guid.NewGuid().ToString() };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = $"{FhirLinks.Base(request)}/{type}{request.QueryString}" });
        if (type == "Encounter" && search.PatientId is { } patient && search.Page == 1 && search.Tokens.Count == 0 && search.Dates.Count == 0 && search.Id is null)
        {
            // The patient's inpatient spells are encounters too (kept by the inpatient module, not the store).
            foreach (var spell in await FhirEncounters.ForPatientAsync(db, patient, clock.GetUtcNow().UtcDateTime, cancel))
            {
                bundle.Entry.Add(FhirLinks.Entry(request, spell));
            }
        }
        bundle.Entry.AddRange(matches.Select(match => FhirLinks.Entry(request, match)));
        bundle.Entry.AddRange(revIncluded.Select(included => FhirLinks.Entry(request, included, Bundle.SearchEntryMode.Include)));
        if (search.Includes is { Count: > 0 } includes)
        {
            foreach (var included in await FhirIncludes.ResolveAsync(matches, includes, db, store, cancel))
            {
                bundle.Entry.Add(FhirLinks.Entry(request, included, Bundle.SearchEntryMode.Include));
            }
        }
        if (search.IncludePatient)
        {
            // Each match's patient, once (access to each was checked when its rows were allowed).
            var patientIds = rows.Take(search.Count).Select(r => r.PatientId).OfType<Guid>().Distinct().ToList();
            foreach (var included in await db.Patients.AsNoTracking().Include(p => p.PreviousNames).Where(p => patientIds.Contains(p.Id)).ToListAsync(cancel))
            {
                bundle.Entry.Add(FhirLinks.Entry(request, FhirPatients.ToFhir(included), Bundle.SearchEntryMode.Include));
            }
        }
        if (rows.Count > search.Count)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = FhirLinks.Page(request, type, search.Page + 1) });
        }
        return FhirFormat.Resource(bundle);
    }

    private static async Task<IResult> CreateAsync(string type, HttpRequest request, FhirStore store, AuditTrail audit, CancellationToken cancel)
    {
        if (Unsupported(type) is { } unsupported)
        {
            return unsupported;
        }
        var (resource, problem) = await FhirFormat.ReadAsync<Resource>(request, cancel);
        if (problem is not null)
        {
            return problem;
        }
        if (resource!.TypeName != type)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"This is the {type} endpoint; the body is a {resource.TypeName}", "resourceType");
        }
        var (row, refusal) = await store.StageAsync(resource, null, cancel);
        if (refusal is not null)
        {
            return Refused(refusal);
        }
        await audit.SaveAsync(new AuditEvent(AuditAction.Create, type, row!.LogicalId, row.PatientId, "FHIR create"), cancel);
        return FhirFormat.Resource(resource, StatusCodes.Status201Created, $"/fhir/{type}/{row.LogicalId}/_history/{row.VersionId}");
    }

    private static async Task<IResult> UpdateAsync(string type, string id, HttpRequest request, FhirStore store, AuditTrail audit, CancellationToken cancel)
    {
        if (Unsupported(type) is { } unsupported)
        {
            return unsupported;
        }
        var (resource, problem) = await FhirFormat.ReadAsync<Resource>(request, cancel);
        if (problem is not null)
        {
            return problem;
        }
        if (resource!.TypeName != type || resource.Id != id)
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"The body must be {type} with id {id}", "id");
        }
        var existing = await store.ForUpdateAsync(type, id, cancel);
        if (existing is null)
        {
            return FhirFormat.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"No {type}/{id} (Lantern assigns ids: create with POST)");
        }
        if (await store.MayAccessAsync(existing.PatientId, cancel) is { } refusal)
        {
            return Refused(refusal);
        }
        if (Patients.PatientEndpoints.ParseIfMatch(request.Headers.IfMatch.ToString()) is not { } version)
        {
            return FhirFormat.Outcome(StatusCodes.Status428PreconditionRequired, OperationOutcome.IssueType.Required, "Send If-Match with the version you read (W/\"n\")");
        }
        if (version != existing.VersionId)
        {
            return FhirFormat.Outcome(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Conflict, $"{type}/{id} is now at version {existing.VersionId}: read it again");
        }
        var (row, stageRefusal) = await store.StageAsync(resource, existing, cancel);
        if (stageRefusal is not null)
        {
            return Refused(stageRefusal);
        }
        try
        {
            await audit.SaveAsync(new AuditEvent(AuditAction.Update, type, id, row!.PatientId, $"FHIR update to version {row.VersionId}"), cancel);
        }
        catch (DbUpdateException)
        {
            // Another update took the same version number first (unique per resource and version): nothing of ours is stored.
            return FhirFormat.Outcome(StatusCodes.Status409Conflict, OperationOutcome.IssueType.Conflict, $"{type}/{id} was changed at the same moment: read it again");
        }
        return FhirFormat.Resource(resource);
    }

}
