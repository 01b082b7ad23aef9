using System.Globalization;
using Lantern.Server.Patients.Registration;

namespace Lantern.Server.Patients.Search;

/// <summary>
/// What a clerk searches by, as typed. Every criterion given must match (AND); the family name matches by
/// prefix and, unless <see cref="SoundsLike"/> is off, by sound (Soundex).
/// </summary>
public sealed record PatientSearchCriteria
{
    public string? NhsNumber { get; init; }
    public string? Mrn { get; init; }
    public string? FamilyName { get; init; }
    public string? GivenName { get; init; }

    /// <summary>yyyy-MM-dd for an exact date, or yyyy for a year.</summary>
    public string? BirthDate { get; init; }

    /// <summary>A full postcode, or an outward code alone (SW1A) for the district.</summary>
    public string? Postcode { get; init; }

    /// <summary>male, female, other or unknown.</summary>
    public string? Gender { get; init; }

    /// <summary>Born on or after / on or before these dates: narrows another criterion (not searchable alone).</summary>
    public DateOnly? BornOnOrAfter { get; init; }
    public DateOnly? BornOnOrBefore { get; init; }

    public bool SoundsLike { get; init; } = true;
    public PatientOrder Order { get; init; } = PatientOrder.Name;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;

    public const int MaxPageSize = 100;

    public (ParsedSearch? Search, IReadOnlyList<FieldError> Errors) Validate()
    {
        var errors = new List<FieldError>();
        string? nhs = null;
        if (!string.IsNullOrWhiteSpace(NhsNumber))
        {
            // Any spacing or punctuation: people paste numbers from letters, emails and other systems.
            var digits = new string([.. NhsNumber.Where(c => !char.IsWhiteSpace(c) && c != '-')]);
            if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
            {
                errors.Add(new(nameof(NhsNumber), "NHS number must be 10 digits, for example 943 476 5919"));
            }
            else if (!Patients.NhsNumber.IsValid(digits))
            {
                errors.Add(new(nameof(NhsNumber), "That is not a valid NHS number: check the digits"));
            }
            else
            {
                nhs = digits;
            }
        }
        var mrn = string.IsNullOrWhiteSpace(Mrn) ? null : Mrn.Trim().ToUpperInvariant();
        string? family = null;
        if (!string.IsNullOrWhiteSpace(FamilyName))
        {
            family = NameKeys.Key(FamilyName);
            if (family.Length == 0)
            {
                errors.Add(new(nameof(FamilyName), "Family name must contain letters"));
            }
        }
        string? given = null;
        if (!string.IsNullOrWhiteSpace(GivenName))
        {
            given = NameKeys.Key(GivenName);
            if (given.Length == 0)
            {
                errors.Add(new(nameof(GivenName), "Given name must contain letters"));
            }
        }
        DateOnly? born = null;
        int? bornYear = null;
        if (!string.IsNullOrWhiteSpace(BirthDate))
        {
            var text = BirthDate.Trim();
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                born = date;
            }
            else if (text.Length == 4 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1850)
            {
                bornYear = year;
            }
            else
            {
                errors.Add(new(nameof(BirthDate), "Date of birth must be a real date, or a year on its own"));
            }
        }
        string? postcode = null;
        var outward = false;
        if (!string.IsNullOrWhiteSpace(Postcode))
        {
            postcode = Patients.Postcode.Normalise(Postcode);
            if (postcode is null && Patients.Postcode.NormaliseOutward(Postcode) is { } district)
            {
                postcode = district;
                outward = true;
            }
            if (postcode is null)
            {
                errors.Add(new(nameof(Postcode), "Enter a full UK postcode, like SW1A 1AA, or the first part, like SW1A"));
            }
        }
        Gender? gender = null;
        if (!string.IsNullOrWhiteSpace(Gender))
        {
            if (Enum.TryParse<Gender>(Gender.Trim(), ignoreCase: true, out var g) && Enum.IsDefined(g) && !int.TryParse(Gender, CultureInfo.InvariantCulture, out _))
            {
                gender = g;
            }
            else
            {
                errors.Add(new(nameof(Gender), "Gender must be male, female, other or unknown"));
            }
        }
        if (errors.Count == 0 && nhs is null && mrn is null && family is null && given is null && born is null && bornYear is null && postcode is null)
        {
            errors.Add(new(nameof(NhsNumber), "Enter an NHS number, hospital number, name, date of birth or postcode"));
        }
        if (Page < 1 || PageSize < 1 || PageSize > MaxPageSize)
        {
            errors.Add(new(nameof(Page), $"Page must be 1 or more, and page size from 1 to {MaxPageSize}"));
        }
        return errors.Count > 0 ? (null, errors)
            : (new ParsedSearch(nhs, mrn, family, SoundsLike ? NameKeys.Soundex(FamilyName) : null, given, born, bornYear, postcode, outward, gender, Page, PageSize,
                BornOnOrAfter, BornOnOrBefore, Order), errors);
    }
}

/// <summary>Search criteria in search-key form.</summary>
public sealed record ParsedSearch(string? NhsNumber, string? Mrn, string? FamilyKey, string? FamilySound, string? GivenKey,
    DateOnly? BirthDate, int? BirthYear, string? Postcode, bool PostcodeIsDistrict, Gender? Gender, int Page, int PageSize,
    DateOnly? BornFrom = null, DateOnly? BornTo = null, PatientOrder Order = PatientOrder.Name)
{
    /// <summary>For the audit trail: which criteria, without echoing free text beyond the keys.</summary>
    public string Describe() => string.Join(' ', new[]
    {
        NhsNumber is null ? null : "nhs=" + NhsNumber,
        Mrn is null ? null : "mrn=" + Mrn,
        FamilyKey is null ? null : "family=" + FamilyKey + (FamilySound is null ? "" : "~"),
        GivenKey is null ? null : "given=" + GivenKey,
        BirthDate is { } d ? "born=" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : BirthYear is { } y ? "born=" + y.ToString(CultureInfo.InvariantCulture) : null,
        BornFrom is { } f ? "born>=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        BornTo is { } t ? "born<=" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        Postcode is null ? null : "postcode=" + Postcode,
        Gender is null ? null : "gender=" + Gender,
        Order != PatientOrder.Name ? "order=" + Order : null,
        Page > 1 ? "page=" + Page.ToString(CultureInfo.InvariantCulture) : null,
    }.Where(s => s is not null));
}
