using System.Globalization;

namespace Lantern.Server.Interop.Fhir.Store;

public sealed record TokenCriterion(string Param, string? System, string Code);

public sealed record DateCriterion(string Prefix, DateTime Start, DateTime End);

/// <summary>_include={Type}:{param}[:{target}]: the references a reference search parameter's expression finds.</summary>
public sealed record IncludeCriterion(string Param, string Expression, string? Target);

/// <summary>_revinclude={Type}:{param}: the patient's resources of that type whose parameter points at a match.</summary>
public sealed record RevIncludeCriterion(string Type, string Param, string Expression);

public sealed record StoreSearch(string? Id, Guid? PatientId, IReadOnlyList<TokenCriterion> Tokens, IReadOnlyList<DateCriterion> Dates, int Count, int Page,
    bool IncludePatient = false, IReadOnlyList<IncludeCriterion>? Includes = null, IReadOnlyList<RevIncludeCriterion>? RevIncludes = null);

/// <summary>Search on the stored types: the parameters <see cref="FhirSearchIndex.Parameters"/> lists, and nothing else.</summary>
public static class FhirStoreSearch
{
    private static readonly string[] Control = ["_format", "_page"];

    public static (StoreSearch? Search, List<(string Parameter, string Message)> Problems) Parse(string type, IQueryCollection query)
    {
        var supported = FhirSearchIndex.Parameters(type).Select(p => p.Name).ToHashSet();
        var problems = new List<(string, string)>();
        foreach (var key in query.Keys.Where(k => !Control.Contains(k) && !supported.Contains(k)))
        {
            problems.Add((key, $"Search parameter {key} is not supported on {type}: see /fhir/metadata"));
        }
        Guid? patient = null;
        foreach (var name in new[] { "patient", "subject" })
        {
            foreach (var value in query[name].OfType<string>())
            {
                var text = value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value;
                if (Guid.TryParse(text, out var id))
                {
                    patient = id;
                }
                else
                {
                    problems.Add((name, $"{name} must be Patient/{{id}}"));
                }
            }
        }
        var tokens = new List<TokenCriterion>();
        foreach (var name in new[] { "code", "category" })
        {
            foreach (var value in query[name].OfType<string>())
            {
                var bar = value.IndexOf('|', StringComparison.Ordinal);
                tokens.Add(bar < 0 ? new(name, null, value) : new(name, value[..bar].Length == 0 ? null : value[..bar], value[(bar + 1)..]));
            }
        }
        var dates = new List<DateCriterion>();
        foreach (var value in query["date"].OfType<string>())
        {
            var prefix = value.Length > 2 && char.IsAsciiLetter(value[0]) ? value[..2] : "eq";
            var text = value.Length > 2 && char.IsAsciiLetter(value[0]) ? value[2..] : value;
            if (prefix is not ("eq" or "ge" or "gt" or "le" or "lt") || FhirSearchIndex.Range(text) is not { } range)
            {
                problems.Add(("date", "date must be a date (yyyy, yyyy-MM, yyyy-MM-dd or an instant), optionally after eq, ge, gt, le or lt"));
                continue;
            }
            dates.Add(new(prefix, range.Start, range.End));
        }
        var count = FhirStoreEndpoints.DefaultCount;
        if (query["_count"].FirstOrDefault() is { } c && (!int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > FhirStoreEndpoints.MaxCount))
        {
            problems.Add(("_count", $"_count must be between 1 and {FhirStoreEndpoints.MaxCount}"));
        }
        var includePatient = false;
        var includes = new List<IncludeCriterion>();
        foreach (var include in query["_include"].OfType<string>())
        {
            var parts = include.Split(':');
            if (include == $"{type}:patient" || include == $"{type}:subject")
            {
                includePatient = true;
            }
            else if (parts.Length is 2 or 3 && parts[0] == type && ReferenceParameter(type, parts[1], null) is { } expression)
            {
                includes.Add(new(parts[1], expression, parts.ElementAtOrDefault(2)));
            }
            else
            {
                problems.Add(("_include", $"_include takes {type}:patient, {type}:subject or {type}:<a reference search parameter of {type}>[:<target type>], not {include}"));
            }
        }
        var revIncludes = new List<RevIncludeCriterion>();
        foreach (var revInclude in query["_revinclude"].OfType<string>())
        {
            var parts = revInclude.Split(':');
            if (parts.Length == 2 && FhirSearchIndex.StoredTypes.Contains(parts[0]) && FhirSearchIndex.IsAboutAPatient(parts[0]) && ReferenceParameter(parts[0], parts[1], type) is { } expression)
            {
                revIncludes.Add(new(parts[0], parts[1], expression));
            }
            else
            {
                problems.Add(("_revinclude", $"_revinclude takes <a clinical type>:<its reference parameter that can point at {type}>, such as Observation:encounter, not {revInclude}"));
            }
        }
        if (revIncludes.Count > 0 && patient is null)
        {
            problems.Add(("_revinclude", "_revinclude needs patient=Patient/{id}: it looks through that patient's records"));
        }
        var page = 1;
        if (query["_page"].FirstOrDefault() is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            problems.Add(("_page", "_page must be 1 or more"));
        }
        return (problems.Count > 0 ? null : new StoreSearch(query["_id"].FirstOrDefault(), patient, tokens, dates, count, page, includePatient, includes, revIncludes), problems);
    }

    public static IQueryable<StoredResource> Apply(IQueryable<StoredResource> rows, StoreSearch search)
    {
        if (search.Id is { } id)
        {
            rows = rows.Where(r => r.LogicalId == id);
        }
        if (search.PatientId is { } patient)
        {
            rows = rows.Where(r => r.PatientId == patient);
        }
        foreach (var t in search.Tokens)
        {
            rows = t.System is null
                ? rows.Where(r => r.Tokens.Any(x => x.Param == t.Param && x.Code == t.Code))
                : rows.Where(r => r.Tokens.Any(x => x.Param == t.Param && x.Code == t.Code && x.System == t.System));
        }
        foreach (var d in search.Dates)
        {
            rows = d.Prefix switch
            {
                "ge" => rows.Where(r => r.Dates.Any(x => x.End >= d.Start)),
                "gt" => rows.Where(r => r.Dates.Any(x => x.End > d.End)),
                "le" => rows.Where(r => r.Dates.Any(x => x.Start <= d.End)),
                "lt" => rows.Where(r => r.Dates.Any(x => x.Start < d.Start)),
                _ => rows.Where(r => r.Dates.Any(x => x.Start >= d.Start && x.End <= d.End)),
            };
        }
        return rows;
    }

    /// <summary>The R4 expression of a reference search parameter of <paramref name="type"/> (that can point at <paramref name="target"/>, when named).</summary>
    private static string? ReferenceParameter(string type, string name, string? target) =>
        Hl7.Fhir.Model.ModelInfo.SearchParameters.FirstOrDefault(sp => sp.Resource == type && sp.Name == name && sp.Type == Hl7.Fhir.Model.SearchParamType.Reference
            && (target is null || sp.Target?.Any(t => t.ToString() == target) != false))?.Expression;
}
