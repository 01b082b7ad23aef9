using System.Globalization;
using Hl7.Fhir.Model;

namespace Lantern.Server.Interop.Fhir.Store;

/// <summary>What a stored resource can be found by: the patient it is about, codes and dates.</summary>
public sealed record ResourceIndex(string? PatientReference, IReadOnlyList<SearchToken> Tokens, IReadOnlyList<SearchDate> Dates);

/// <summary>
/// The resource types kept in the FHIR store and the search parameters each really supports (patient/subject,
/// code, category, date), extracted from the typed model when a version is stored. The CapabilityStatement and
/// the search handler both read <see cref="Parameters"/>.
/// </summary>
public static class FhirSearchIndex
{
    private sealed record Extract(Func<Resource, ResourceReference?> Patient, Func<Resource, IEnumerable<CodeableConcept?>>? Code = null,
        Func<Resource, IEnumerable<CodeableConcept?>>? Category = null, Func<Resource, DataType?>? Date = null);

    private static readonly Dictionary<string, Extract> Types = new()
    {
        ["Observation"] = new(r => ((Observation)r).Subject, r => [((Observation)r).Code], r => ((Observation)r).Category, r => ((Observation)r).Effective),
        ["Condition"] = new(r => ((Condition)r).Subject, r => [((Condition)r).Code], r => ((Condition)r).Category, r => ((Condition)r).Onset ?? ((Condition)r).RecordedDateElement),
        ["AllergyIntolerance"] = new(r => ((AllergyIntolerance)r).Patient, r => [((AllergyIntolerance)r).Code], null, r => ((AllergyIntolerance)r).RecordedDateElement),
        ["MedicationStatement"] = new(r => ((MedicationStatement)r).Subject, r => [((MedicationStatement)r).Medication as CodeableConcept], r => [((MedicationStatement)r).Category], r => ((MedicationStatement)r).Effective),
        ["MedicationRequest"] = new(r => ((MedicationRequest)r).Subject, r => [((MedicationRequest)r).Medication as CodeableConcept], r => ((MedicationRequest)r).Category, r => ((MedicationRequest)r).AuthoredOnElement),
        ["Procedure"] = new(r => ((Procedure)r).Subject, r => [((Procedure)r).Code], r => [((Procedure)r).Category], r => ((Procedure)r).Performed),
        ["DiagnosticReport"] = new(r => ((DiagnosticReport)r).Subject, r => [((DiagnosticReport)r).Code], r => ((DiagnosticReport)r).Category, r => ((DiagnosticReport)r).Effective),
        ["DocumentReference"] = new(r => ((DocumentReference)r).Subject, r => [((DocumentReference)r).Type], r => ((DocumentReference)r).Category, r => ((DocumentReference)r).DateElement),
        ["Immunization"] = new(r => ((Immunization)r).Patient, r => [((Immunization)r).VaccineCode], null, r => ((Immunization)r).Occurrence),
        ["Encounter"] = new(r => ((Encounter)r).Subject, r => ((Encounter)r).Type, null, r => ((Encounter)r).Period),
        ["CarePlan"] = new(r => ((CarePlan)r).Subject, null, r => ((CarePlan)r).Category, r => ((CarePlan)r).Period),
        ["Goal"] = new(r => ((Goal)r).Subject),
        ["ImagingStudy"] = new(r => ((ImagingStudy)r).Subject, null, null, r => ((ImagingStudy)r).StartedElement),
        ["Claim"] = new(r => ((Claim)r).Patient),
        ["ExplanationOfBenefit"] = new(r => ((ExplanationOfBenefit)r).Patient),
        ["Organization"] = new(_ => null),
        ["Practitioner"] = new(_ => null),
        ["Location"] = new(_ => null),
    };

    /// <summary>The resource types the store keeps.</summary>
    public static IReadOnlyCollection<string> StoredTypes => Types.Keys;

    /// <summary>Whether resources of this type are about one patient (and so need a clinical relationship to see).</summary>
    public static bool IsAboutAPatient(string type) => Types.TryGetValue(type, out var e) && e.Patient is not null && !(type is "Organization" or "Practitioner" or "Location");

    public static IReadOnlyList<FhirSearchParameter> Parameters(string type)
    {
        if (!Types.TryGetValue(type, out var e))
        {
            return [];
        }
        var list = new List<FhirSearchParameter> { new("_id", SearchParamType.Token, "Logical id") };
        if (IsAboutAPatient(type))
        {
            list.Add(new("patient", SearchParamType.Reference, "The patient (Patient/{id}); required for staff, who need a relationship with that patient"));
            list.Add(new("subject", SearchParamType.Reference, "Same as patient"));
            list.Add(new("_revinclude", SearchParamType.Special, "<clinical type>:<reference parameter> (Observation:encounter, …) with patient=: adds that patient's resources pointing at a match"));
            list.Add(new("_include", SearchParamType.Special, $"{type}:patient or {type}:subject adds each match's patient; {type}:<reference parameter>[:<type>] (performer, encounter, …) adds the stored resources it points to"));
        }
        if (e.Code is not null)
        {
            list.Add(new("code", SearchParamType.Token, "system|code, or code alone"));
        }
        if (e.Category is not null)
        {
            list.Add(new("category", SearchParamType.Token, "system|code, or code alone"));
        }
        if (e.Date is not null)
        {
            list.Add(new("date", SearchParamType.Date, "Clinically relevant date; prefixes eq, ge, gt, le, lt; yyyy, yyyy-MM, yyyy-MM-dd or an instant"));
        }
        list.Add(new("_count", SearchParamType.Number, "Page size (default 50, at most 500)"));
        return list;
    }

    public static ResourceIndex For(Resource resource)
    {
        var e = Types[resource.TypeName];
        var tokens = new List<SearchToken>();
        void Add(string param, IEnumerable<CodeableConcept?>? concepts)
        {
            foreach (var coding in (concepts ?? []).Where(c => c is not null).SelectMany(c => c!.Coding).Where(c => !string.IsNullOrEmpty(c.Code)))
            {
                tokens.Add(new SearchToken(param, coding.System, Truncate(coding.Code!, 128)));
            }
        }
        Add("code", e.Code?.Invoke(resource));
        Add("category", e.Category?.Invoke(resource));
        if (resource.TypeName == "AllergyIntolerance")
        {
            foreach (var category in ((AllergyIntolerance)resource).CategoryElement.Where(c => c.Value is not null))
            {
                tokens.Add(new SearchToken("category", "http://hl7.org/fhir/allergy-intolerance-category", Hl7.Fhir.Utility.EnumUtility.GetLiteral(category.Value!.Value) ?? ""));
            }
        }
        var dates = new List<SearchDate>();
        if (e.Date?.Invoke(resource) is { } date && Range(date) is { } range)
        {
            dates.Add(new SearchDate("date", range.Start, range.End));
        }
        return new ResourceIndex(e.Patient(resource)?.Reference, tokens, dates);
    }

    /// <summary>The instants a FHIR date, dateTime, instant or period covers (a partial date covers the whole year, month or day).</summary>
    public static (DateTime Start, DateTime End)? Range(DataType value) => value switch
    {
        FhirDateTime dt when dt.Value is { } v => Range(v),
        Date d when d.Value is { } v => Range(v),
        Instant i when i.Value is { } v => (v.UtcDateTime, v.UtcDateTime),
        Period p => PeriodRange(p),
        _ => null,
    };

    private static readonly DateTime Earliest = new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Latest = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>An open-ended period runs from the beginning or to the end of time.</summary>
    private static (DateTime Start, DateTime End)? PeriodRange(Period p)
    {
        var start = p.Start is { } s ? Range(s)?.Start : null;
        var end = p.End is { } e ? Range(e)?.End : null;
        return start is null && end is null ? null : (start ?? Earliest, end ?? Latest);
    }

    public static (DateTime Start, DateTime End)? Range(string value)
    {
        var culture = CultureInfo.InvariantCulture;
        switch (value.Length)
        {
            case 4 when int.TryParse(value, culture, out var year):
                return (new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(year, 12, 31, 23, 59, 59, DateTimeKind.Utc));
            case 7 when DateTime.TryParseExact(value, "yyyy-MM", culture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var month):
                return (month, month.AddMonths(1).AddSeconds(-1));
            case 10 when DateTime.TryParseExact(value, "yyyy-MM-dd", culture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day):
                return (day, day.AddDays(1).AddSeconds(-1));
            default:
                return DateTimeOffset.TryParse(value, culture, DateTimeStyles.AssumeUniversal, out var instant) ? (instant.UtcDateTime, instant.UtcDateTime) : null;
        }
    }

    private static string Truncate(string value, int length) => value.Length > length ? value[..length] : value;
}
