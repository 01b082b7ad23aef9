using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Fhir.Store;

/// <summary>
/// _include by any reference search parameter (and _revinclude, its mirror) of the searched type: the references its R4 expression finds in
/// the matches, fetched from the store. A resource about a patient is included only when the caller may see that
/// patient's records (the same decision, audited, as reading it).
/// </summary>
internal static class FhirIncludes
{
    public static async Task<List<Resource>> ResolveAsync(IEnumerable<Resource> matches, IReadOnlyList<IncludeCriterion> includes, LanternDb db, FhirStore store, CancellationToken cancel)
    {
        var wanted = new HashSet<(string Type, string Id)>();
        foreach (var match in matches)
        {
            foreach (var include in includes)
            {
                foreach (var reference in References(match, include.Expression))
                {
                    if (Target(reference) is { } target && (include.Target is null || include.Target == target.Type) && FhirSearchIndex.StoredTypes.Contains(target.Type))
                    {
                        wanted.Add(target);
                    }
                }
            }
        }
        var included = new List<Resource>();
        // One query per type, so that the (type, id) index finds the rows.
        var rows = new List<StoredResource>();
        foreach (var byType in wanted.GroupBy(w => w.Type))
        {
            var ids = byType.Select(w => w.Id).ToList();
            rows.AddRange(await db.FhirResources.AsNoTracking().Where(r => r.ResourceType == byType.Key && ids.Contains(r.LogicalId)).ToListAsync(cancel));
        }
        foreach (var row in rows)
        {
            if (await store.MayAccessAsync(row.PatientId, cancel) is null)
            {
                included.Add(FhirStore.Parse(row.Json));
            }
        }
        return included;
    }

    /// <summary>How many of a patient's resources one _revinclude may look through.</summary>
    public const int MaxRevIncludeScan = 5_000;

    /// <summary>
    /// _revinclude: the patient's resources of each asked-for type whose parameter points at one of the matches
    /// (the patient's access was checked for the search). Null when a type holds more than
    /// <see cref="MaxRevIncludeScan"/> resources for the patient: the caller should narrow the search instead.
    /// </summary>
    public static async Task<List<Resource>?> ReverseAsync(IReadOnlyList<Resource> matches, IReadOnlyList<RevIncludeCriterion> revIncludes, Guid patientId, LanternDb db, CancellationToken cancel)
    {
        var targets = matches.Select(m => (m.TypeName, m.Id)).ToHashSet();
        var found = new List<Resource>();
        foreach (var revInclude in revIncludes)
        {
            var rows = await db.FhirResources.AsNoTracking().Where(r => r.ResourceType == revInclude.Type && r.PatientId == patientId)
                .OrderBy(r => r.Id).Take(MaxRevIncludeScan + 1).Select(r => r.Json).ToListAsync(cancel);
            if (rows.Count > MaxRevIncludeScan)
            {
                return null;
            }
            found.AddRange(rows.Select(FhirStore.Parse).Where(candidate =>
                References(candidate, revInclude.Expression).Any(r => Target(r) is { } target && targets.Contains(target))));
        }
        return found;
    }

    /// <summary>The references the expression finds; an expression the SDK cannot evaluate here (resolve()) finds none.</summary>
    private static List<ResourceReference> References(Resource resource, string expression)
    {
        try
        {
            return resource.Select(expression).OfType<ResourceReference>().ToList();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            return [];
        }
    }

    private static (string Type, string Id)? Target(ResourceReference reference)
    {
        var parts = reference.Reference?.Split("/_history")[0].Split('/');
        return parts is { Length: >= 2 } && ModelInfo.IsKnownResource(parts[^2]) ? (parts[^2], parts[^1]) : null;
    }
}
