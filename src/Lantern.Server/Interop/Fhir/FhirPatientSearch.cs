using Hl7.Fhir.Model;
using Lantern.Server.Patients.Search;

namespace Lantern.Server.Interop.Fhir;

/// <summary>
/// FHIR Patient search parameters onto the master patient index search. Only what is listed here is accepted
/// (and advertised in the CapabilityStatement); anything else is refused by name rather than silently ignored,
/// so a client never mistakes an unfiltered page for an answer.
/// </summary>
public static class FhirPatientSearch
{
    public const int DefaultCount = 20;

    public static IReadOnlyList<FhirSearchParameter> Parameters { get; } =
    [
        new("_id", SearchParamType.Token, "Logical id"),
        new("identifier", SearchParamType.Token, $"NHS number ({UkCore.NhsNumberSystem}|9434765919, any spacing) or hospital number ({UkCore.MrnSystem}|RZZ…); a bare value is tried as either"),
        new("family", SearchParamType.String, "Family name, current or previous: starts with (case, accents and punctuation ignored)"),
        new("given", SearchParamType.String, "Given name: starts with"),
        new("name", SearchParamType.String, "Any name: family (current or previous) or given name starts with; not with family or given"),
        new("birthdate", SearchParamType.Date, "Date of birth: yyyy-MM-dd or a year yyyy (eq); ge, gt, le, lt ranges narrow another parameter"),
        new("gender", SearchParamType.Token, "male | female | other | unknown"),
        new("address-postalcode", SearchParamType.String, "Full postcode, or the outward code alone for the district"),
        new("_sort", SearchParamType.Special, "family (or name), given or birthdate, - before it for descending; ties broken by the other two then MRN (a list naming them in that order is accepted). Default: family"),
        new("_revinclude", SearchParamType.Special, "{Type}:patient or {Type}:subject for a type the store keeps: adds each patient's resources of that type (only for patients the caller may see clinically)"),
        new("_count", SearchParamType.Number, $"Page size, 1–{PatientSearchCriteria.MaxPageSize} (default {DefaultCount})"),
        new("_page", SearchParamType.Number, "Page number, from the Bundle's next and previous links"),
    ];

    private static readonly string[] Control = ["_format"];

    /// <summary>The query as search criteria (with the _id asked for, if any), or the problems, named by parameter.</summary>
    public static (PatientSearchCriteria? Criteria, string? Id, List<(string Parameter, string Message)> Problems) Parse(IQueryCollection query)
    {
        var problems = new List<(string, string)>();
        foreach (var key in query.Keys.Where(k => !Control.Contains(k) && !Parameters.Any(p => p.Name == k)))
        {
            problems.Add((key, $"Search parameter {key} is not supported: see /fhir/metadata for the ones that are"));
        }
        string? Single(string name)
        {
            var values = query[name];
            if (values.Count > 1)
            {
                problems.Add((name, $"Give {name} once"));
            }
            return values.Count == 0 ? null : values[0];
        }
        string? nhs = null, mrn = null;
        if (Single("identifier") is { } identifier)
        {
            var bar = identifier.IndexOf('|', StringComparison.Ordinal);
            var (system, value) = bar < 0 ? (null, identifier) : (identifier[..bar], identifier[(bar + 1)..]);
            if (system == UkCore.NhsNumberSystem || (system is null && value.Count(char.IsAsciiDigit) == 10))
            {
                nhs = value;
            }
            else if (system == UkCore.MrnSystem || system is null)
            {
                mrn = value;
            }
            else
            {
                problems.Add(("identifier", $"Identifier system {system} is not one Lantern holds"));
            }
        }
        // birthdate=1956-03-12, =1956 or eq…: the date or year; ge, gt, le, lt (repeatable): a range narrowing another criterion.
        string? birthdate = null;
        DateOnly? from = null, to = null;
        foreach (var value in query["birthdate"].OfType<string>())
        {
            var prefix = value.Length > 2 && char.IsAsciiLetter(value[0]) ? value[..2] : "eq";
            var text = prefix == "eq" && !value.StartsWith("eq", StringComparison.Ordinal) ? value : value[2..];
            if (prefix == "eq")
            {
                birthdate = text;
                continue;
            }
            if (prefix is not ("ge" or "gt" or "le" or "lt") || Store.FhirSearchIndex.Range(text) is not { } range)
            {
                problems.Add(("birthdate", $"birthdate takes eq, ge, gt, le or lt before a date (yyyy, yyyy-MM or yyyy-MM-dd), not {value}"));
                continue;
            }
            var (start, end) = (DateOnly.FromDateTime(range.Start), DateOnly.FromDateTime(range.End));
            switch (prefix)
            {
                case "ge": from = Later(from, start); break;
                case "gt": from = Later(from, end.AddDays(1)); break;
                case "le": to = Earlier(to, end); break;
                default: to = Earlier(to, start.AddDays(-1)); break;
            }
        }
        var count = DefaultCount;
        if (Single("_count") is { } countText && (!int.TryParse(countText, out count) || count < 1 || count > PatientSearchCriteria.MaxPageSize))
        {
            problems.Add(("_count", $"_count must be between 1 and {PatientSearchCriteria.MaxPageSize}"));
        }
        var page = 1;
        if (Single("_page") is { } pageText && (!int.TryParse(pageText, out page) || page < 1))
        {
            problems.Add(("_page", "_page must be 1 or more"));
        }
        var order = PatientOrder.Name;
        if (Single("_sort") is { } sort)
        {
            if (OrderOf(sort) is { } known)
            {
                order = known;
            }
            else
            {
                problems.Add(("_sort", $"_sort takes family, given or birthdate (- before it for descending), alone or followed by the others in the order that breaks ties (birthdate,family,given), not {sort}"));
            }
        }
        foreach (var revinclude in query["_revinclude"].OfType<string>())
        {
            var parts = revinclude.Split(':');
            if (parts.Length != 2 || parts[1] is not ("patient" or "subject") || !Store.FhirSearchIndex.IsAboutAPatient(parts[0]))
            {
                problems.Add(("_revinclude", $"_revinclude takes {{Type}}:patient or {{Type}}:subject for a clinical type Lantern keeps, not {revinclude}"));
            }
        }
        if (query.ContainsKey("name") && (query.ContainsKey("family") || query.ContainsKey("given")))
        {
            problems.Add(("name", "Use name on its own, or family and given, not both"));
        }
        var criteria = new PatientSearchCriteria
        {
            NhsNumber = nhs,
            Mrn = mrn,
            FamilyName = Single("family"),
            GivenName = Single("given"),
            BirthDate = birthdate,
            BornOnOrAfter = from,
            BornOnOrBefore = to,
            Gender = Single("gender"),
            Postcode = Single("address-postalcode"),
            SoundsLike = false, // FHIR string search: starts with
            Order = order,
            Page = Math.Max(page, 1),
            PageSize = Math.Clamp(count, 1, PatientSearchCriteria.MaxPageSize),
        };
        return (criteria, Single("_id"), problems);
    }

    /// <summary>
    /// A conditional match (If-None-Exist, <c>Patient?identifier=…</c>): up to two patients matching the query
    /// string (enough to tell none, one and several apart), or the problems with it, named by parameter.
    /// </summary>
    public static async Task<(IReadOnlyList<PatientSummary>? Matches, List<(string Parameter, string Message)> Problems)> MatchAsync(
        PatientSearch search, string queryString, CancellationToken cancel)
    {
        var (criteria, _, problems) = Parse(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString)));
        var (parsed, errors) = problems.Count == 0 ? criteria!.Validate() : (null, []);
        if (parsed is null)
        {
            return (null, [.. problems, .. errors.Select(e => (ParameterOf(e.Field), e.Message))]);
        }
        return ((await search.SearchAsync(parsed with { Page = 1, PageSize = 2 }, cancel)).Patients, []);
    }

    /// <summary>
    /// The order a _sort value asks for: its first key, and any further keys only if they are the ones that order
    /// already breaks ties with, in the same direction (birthdate,family is birth order; birthdate,given is not).
    /// </summary>
    private static PatientOrder? OrderOf(string sort)
    {
        var keys = sort.Split(',', StringSplitOptions.TrimEntries);
        var descending = keys[0].StartsWith('-');
        string[] chain = keys[0].TrimStart('-') switch
        {
            "family" or "name" => ["family", "given", "birthdate"],
            "given" => ["given", "family", "birthdate"],
            "birthdate" => ["birthdate", "family", "given"],
            _ => [],
        };
        if (chain.Length == 0 || keys.Length > chain.Length)
        {
            return null;
        }
        for (var i = 1; i < keys.Length; i++)
        {
            var key = keys[i].TrimStart('-');
            if (keys[i].StartsWith('-') != descending || (key == "name" ? "family" : key) != chain[i])
            {
                return null;
            }
        }
        return (chain[0], descending) switch
        {
            ("family", false) => PatientOrder.Name,
            ("family", true) => PatientOrder.NameDescending,
            ("given", false) => PatientOrder.GivenName,
            ("given", true) => PatientOrder.GivenNameDescending,
            ("birthdate", false) => PatientOrder.BirthDate,
            _ => PatientOrder.BirthDateDescending,
        };
    }

    private static DateOnly Later(DateOnly? a, DateOnly b) => a is { } x && x > b ? x : b;

    private static DateOnly Earlier(DateOnly? a, DateOnly b) => a is { } x && x < b ? x : b;

    /// <summary>The search parameter behind a search criteria field, for the OperationOutcome.</summary>
    public static string ParameterOf(string field) => field switch
    {
        nameof(PatientSearchCriteria.NhsNumber) or nameof(PatientSearchCriteria.Mrn) => "identifier",
        nameof(PatientSearchCriteria.FamilyName) => "family",
        nameof(PatientSearchCriteria.GivenName) => "given",
        nameof(PatientSearchCriteria.BirthDate) => "birthdate",
        nameof(PatientSearchCriteria.Gender) => "gender",
        nameof(PatientSearchCriteria.Postcode) => "address-postalcode",
        _ => field,
    };
}
