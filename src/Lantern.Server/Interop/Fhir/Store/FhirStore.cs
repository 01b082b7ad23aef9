using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Fhir.Store;

/// <summary>Why a stored resource could not be read or written, as the OperationOutcome's status and words.</summary>
public sealed record StoreRefusal(int Status, OperationOutcome.IssueType Type, string Message, string? Expression = null);

/// <summary>
/// The FHIR store for everything Lantern keeps as FHIR (clinical resources, and the organisations and
/// practitioners they refer to). Each write keeps the new version in the history and rebuilds its search
/// index; a resource about a patient must name a patient Lantern holds, and staff reach it only through
/// <see cref="PatientAccess"/> (a care relationship or break-glass), systems through their scopes.
/// Writes are staged: the caller saves them with its audit entry, in one transaction.
/// </summary>
public sealed class FhirStore(LanternDb db, PatientAccess access, CurrentStaff staff, TimeProvider clock)
{
    private static readonly FhirJsonDeserializer Parser = new();

    /// <summary>Access decided once per patient per request (a transaction Bundle touches one patient hundreds of times).</summary>
    private readonly Dictionary<Guid, StoreRefusal?> decided = [];

    /// <summary>Patients already found to exist in this request (a Bundle names one patient in hundreds of entries).</summary>
    private readonly HashSet<Guid> held = [];

    public static Resource Parse(string json) => Parser.DeserializeResource(json);

    /// <summary>The current version, if this caller may see it.</summary>
    public async Task<(StoredResource? Row, StoreRefusal? Refusal)> ReadAsync(string type, string id, CancellationToken cancel)
    {
        var row = await db.FhirResources.AsNoTracking().FirstOrDefaultAsync(r => r.ResourceType == type && r.LogicalId == id, cancel);
        if (row is null)
        {
            return (null, new(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"No {type}/{id}"));
        }
        return await MayAccessAsync(row.PatientId, cancel) is { } refusal ? (null, refusal) : (row, null);
    }

    /// <summary>One kept version (the unique index on type, id and version finds it).</summary>
    public Task<StoredResourceVersion?> VersionAsync(string type, string id, int version, CancellationToken cancel) =>
        db.FhirResourceHistory.AsNoTracking().FirstOrDefaultAsync(v => v.ResourceType == type && v.LogicalId == id && v.VersionId == version, cancel);

    public Task<List<StoredResourceVersion>> HistoryAsync(string type, string id, CancellationToken cancel) =>
        db.FhirResourceHistory.AsNoTracking().Where(v => v.ResourceType == type && v.LogicalId == id).OrderByDescending(v => v.VersionId).ToListAsync(cancel);

    /// <summary>
    /// Checks that the caller may see a patient's records: systems (scopes already checked) may; staff need a
    /// clinical relationship or break-glass. Every decision is audited by <see cref="PatientAccess"/>.
    /// </summary>
    public async Task<StoreRefusal?> MayAccessAsync(Guid? patientId, CancellationToken cancel)
    {
        if (patientId is not { } id)
        {
            return null;
        }
        if (decided.TryGetValue(id, out var known))
        {
            return known;
        }
        return decided[id] = await DecideAsync(id, cancel);
    }

    private async Task<StoreRefusal?> DecideAsync(Guid id, CancellationToken cancel)
    {
        var decision = staff.IsSystem ? await access.OpenForSystemAsync(id, cancel) : await access.OpenAsync(id, cancel);
        return decision.Level switch
        {
            PatientAccessLevel.ClinicalRecord => null,
            PatientAccessLevel.NeedsBreakGlass => new(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                "You have no care relationship with this patient: break the glass in Lantern first if you need this record"),
            PatientAccessLevel.DemographicsOnly => new(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, "Your role does not include clinical records"),
            _ => new(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"No Patient/{id}"),
        };
    }

    /// <summary>
    /// Stages a new resource (create) or a new version of <paramref name="existing"/> (update). The resource's
    /// id, versionId and lastUpdated are set here; its patient reference must resolve to a patient in Lantern.
    /// </summary>
    public Task<(StoredResource? Row, StoreRefusal? Refusal)> StageAsync(Resource resource, StoredResource? existing, CancellationToken cancel) =>
        StageAsync(resource, existing, null, cancel);

    /// <summary>As <see cref="StageAsync(Resource, StoredResource?, CancellationToken)"/>, with the id a transaction Bundle assigned beforehand.</summary>
    public async Task<(StoredResource? Row, StoreRefusal? Refusal)> StageAsync(Resource resource, StoredResource? existing, string? newId, CancellationToken cancel)
    {
        var index = FhirSearchIndex.For(resource);
        Guid? patientId = null;
        if (FhirSearchIndex.IsAboutAPatient(resource.TypeName))
        {
            var reference = index.PatientReference;
            if (reference is null || !reference.StartsWith("Patient/", StringComparison.Ordinal) || !Guid.TryParse(reference["Patient/".Length..], out var id))
            {
                return (null, new(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.Required,
                    $"A {resource.TypeName} must refer to its patient as Patient/{{id}} (a patient held by Lantern)", $"{resource.TypeName}.{(resource is AllergyIntolerance or Immunization or Claim or ExplanationOfBenefit ? "patient" : "subject")}"));
            }
            if (!held.Contains(id) && !await db.Patients.AnyAsync(p => p.Id == id, cancel))
            {
                return (null, new(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound, $"No Patient/{id} in Lantern", $"{resource.TypeName}.subject"));
            }
            held.Add(id);
            if (await MayAccessAsync(id, cancel) is { } refusal)
            {
                return (null, refusal);
            }
            patientId = id;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var version = (existing?.VersionId ?? 0) + 1;
        resource.Id = existing?.LogicalId ?? newId ?? Guid.NewGuid().ToString();
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = version.ToString(CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = new DateTimeOffset(now, TimeSpan.Zero);
        var json = resource.ToJson();
        StoredResource row;
        if (existing is null)
        {
            row = new StoredResource(resource.TypeName, resource.Id, version, now, patientId, json);
            db.FhirResources.Add(row);
        }
        else
        {
            row = existing;
            row.Replace(version, now, patientId, json);
        }
        row.Tokens.AddRange(index.Tokens);
        row.Dates.AddRange(index.Dates);
        db.FhirResourceHistory.Add(new StoredResourceVersion(resource.TypeName, resource.Id, version, now, existing is null ? "POST" : "PUT", json));
        return (row, null);
    }

    /// <summary>The current row to update, tracked, with its index (for <see cref="StageAsync"/>).</summary>
    public Task<StoredResource?> ForUpdateAsync(string type, string id, CancellationToken cancel) =>
        db.FhirResources.Include(r => r.Tokens).Include(r => r.Dates).AsSplitQuery().FirstOrDefaultAsync(r => r.ResourceType == type && r.LogicalId == id, cancel);
}
