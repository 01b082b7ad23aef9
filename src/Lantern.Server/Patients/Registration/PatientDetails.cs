using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Lantern.Server.Patients.Registration;

/// <summary>
/// Demographics as a clerk or an integration sends them: text, exactly as typed. <see cref="Validate"/> turns
/// them into <see cref="Demographics"/> or into field errors keyed by property name, so the registration page,
/// the edit page and the JSON API give the same answers.
/// </summary>
public sealed partial record PatientDetails
{
    public string? Title { get; init; }
    public string? FamilyName { get; init; }
    public string? GivenName { get; init; }
    public string? OtherGivenNames { get; init; }
    public string? PreviousFamilyName { get; init; }

    /// <summary>yyyy-MM-dd.</summary>
    public string? BirthDate { get; init; }

    /// <summary>male, female, other or unknown.</summary>
    public string? Gender { get; init; }

    /// <summary>male, female or indeterminate; optional.</summary>
    public string? Sex { get; init; }

    public string? NhsNumber { get; init; }

    /// <summary>Verification status code 01–08; defaults to 02 with a number, 03 without.</summary>
    public string? NhsNumberStatus { get; init; }

    public string? AddressLine1 { get; init; }
    public string? AddressLine2 { get; init; }
    public string? Town { get; init; }
    public string? Postcode { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? GpPracticeCode { get; init; }
    public string? NextOfKinName { get; init; }
    public string? NextOfKinRelationship { get; init; }
    public string? NextOfKinPhone { get; init; }
    public string? EthnicCategory { get; init; }
    public bool InterpreterRequired { get; init; }
    public string? PreferredLanguage { get; init; }

    /// <summary>yyyy-MM-dd.</summary>
    public string? DateOfDeath { get; init; }

    [GeneratedRegex(@"^[A-Z][0-9]{5}$")]
    private static partial Regex GpPracticePattern();

    [GeneratedRegex(@"^\+?[0-9][0-9 ()-]{8,18}[0-9]$")]
    private static partial Regex PhonePattern();

    public static PatientDetails From(Patient p) => new()
    {
        Title = p.Title,
        FamilyName = p.FamilyName,
        GivenName = p.GivenName,
        OtherGivenNames = p.OtherGivenNames,
        BirthDate = p.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Gender = p.Gender.ToString().ToLowerInvariant(),
        Sex = p.Sex?.ToString().ToLowerInvariant(),
        NhsNumber = p.NhsNumber,
        NhsNumberStatus = p.NhsNumberStatus.Code(),
        AddressLine1 = p.AddressLine1,
        AddressLine2 = p.AddressLine2,
        Town = p.Town,
        Postcode = p.Postcode,
        Phone = p.Phone,
        Email = p.Email,
        GpPracticeCode = p.GpPracticeCode,
        NextOfKinName = p.NextOfKinName,
        NextOfKinRelationship = p.NextOfKinRelationship,
        NextOfKinPhone = p.NextOfKinPhone,
        EthnicCategory = p.EthnicCategory,
        InterpreterRequired = p.InterpreterRequired,
        PreferredLanguage = p.PreferredLanguage,
        DateOfDeath = p.DateOfDeath?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>Checks every field against <paramref name="today"/> (UK date); errors are in form order.</summary>
    public (Demographics? Demographics, IReadOnlyList<FieldError> Errors) Validate(DateOnly today)
    {
        var errors = new List<FieldError>();
        void Error(string field, string message) => errors.Add(new(field, message));

        var title = Text(Title, 35, nameof(Title), "Title", errors);
        var family = Text(FamilyName, 100, nameof(FamilyName), "Family name", errors);
        if (family is null)
        {
            Error(nameof(FamilyName), "Enter the family name (surname)");
        }
        else if (NameKeys.Key(family).Length == 0)
        {
            Error(nameof(FamilyName), "Family name must contain letters");
        }
        var given = Text(GivenName, 100, nameof(GivenName), "Given name", errors);
        if (given is null)
        {
            Error(nameof(GivenName), "Enter the given name (first name)");
        }
        var otherGiven = Text(OtherGivenNames, 100, nameof(OtherGivenNames), "Middle names", errors);
        var previousFamily = Text(PreviousFamilyName, 100, nameof(PreviousFamilyName), "Previous family name", errors);

        var birthDate = Date(BirthDate, nameof(BirthDate), "Date of birth", required: true, errors);
        if (birthDate is { } born)
        {
            if (born > today)
            {
                Error(nameof(BirthDate), "Date of birth must be today or in the past");
            }
            else if (born < today.AddYears(-130))
            {
                Error(nameof(BirthDate), "Date of birth must be within the last 130 years");
            }
        }
        Gender? gender = Gender?.Trim().ToLowerInvariant() switch
        {
            "male" => Patients.Gender.Male,
            "female" => Patients.Gender.Female,
            "other" => Patients.Gender.Other,
            "unknown" => Patients.Gender.Unknown,
            _ => null,
        };
        if (gender is null)
        {
            Error(nameof(Gender), "Select the patient's gender");
        }
        Sex? sex = null;
        if (!string.IsNullOrWhiteSpace(Sex))
        {
            sex = Sex.Trim().ToLowerInvariant() switch
            {
                "male" => Patients.Sex.Male,
                "female" => Patients.Sex.Female,
                "indeterminate" => Patients.Sex.Indeterminate,
                _ => null,
            };
            if (sex is null)
            {
                Error(nameof(Sex), "Sex must be male, female or indeterminate");
            }
        }

        string? nhsNumber = null;
        if (!string.IsNullOrWhiteSpace(NhsNumber))
        {
            nhsNumber = Patients.NhsNumber.Normalise(NhsNumber);
            if (nhsNumber is null)
            {
                Error(nameof(NhsNumber), "NHS number must be 10 digits, for example 943 476 5919");
            }
            else if (!Patients.NhsNumber.IsValid(nhsNumber))
            {
                Error(nameof(NhsNumber), "NHS number is not valid: check the digits (the last digit is a check digit)");
                nhsNumber = null;
            }
        }
        var status = string.IsNullOrWhiteSpace(NhsNumberStatus)
            ? (string.IsNullOrWhiteSpace(NhsNumber) ? Patients.NhsNumberStatus.TraceRequired : Patients.NhsNumberStatus.NotTraced)
            : NhsNumberStatuses.FromCode(NhsNumberStatus.Trim());
        if (status is null)
        {
            Error(nameof(NhsNumberStatus), "NHS number status must be a code from 01 to 08");
        }
        else if (status.Value.NeedsNumber() && string.IsNullOrWhiteSpace(NhsNumber))
        {
            Error(nameof(NhsNumberStatus), $"NHS number status {status.Value.Code()} needs an NHS number: enter one or choose another status");
        }
        else if (status.Value.ForbidsNumber() && !string.IsNullOrWhiteSpace(NhsNumber))
        {
            Error(nameof(NhsNumberStatus), $"NHS number status {status.Value.Code()} means there is no NHS number: remove the number or choose another status");
        }

        var line1 = Text(AddressLine1, 100, nameof(AddressLine1), "Address line 1", errors);
        var line2 = Text(AddressLine2, 100, nameof(AddressLine2), "Address line 2", errors);
        var town = Text(Town, 60, nameof(Town), "Town or city", errors);
        string? postcode = null;
        if (!string.IsNullOrWhiteSpace(Postcode))
        {
            postcode = Patients.Postcode.Normalise(Postcode);
            if (postcode is null)
            {
                Error(nameof(Postcode), "Enter a real UK postcode, for example SW1A 1AA");
            }
        }
        var phone = PhoneNumber(Phone, nameof(Phone), "Phone number", errors);
        var email = Text(Email, 254, nameof(Email), "Email address", errors);
        if (email is not null && (!MailAddress.TryCreate(email, out var address) || !string.Equals(address.Address, email, StringComparison.Ordinal) || !email.Contains('.', StringComparison.Ordinal)))
        {
            Error(nameof(Email), "Enter an email address in the correct format, like name@example.com");
        }
        var gp = Text(GpPracticeCode, 10, nameof(GpPracticeCode), "GP practice code", errors)?.ToUpperInvariant();
        if (gp is not null && !GpPracticePattern().IsMatch(gp))
        {
            Error(nameof(GpPracticeCode), "GP practice code must be an ODS code: a letter and five digits, for example A81001");
        }
        var kinName = Text(NextOfKinName, 100, nameof(NextOfKinName), "Next of kin name", errors);
        var kinRelationship = Text(NextOfKinRelationship, 50, nameof(NextOfKinRelationship), "Next of kin relationship", errors);
        var kinPhone = PhoneNumber(NextOfKinPhone, nameof(NextOfKinPhone), "Next of kin phone number", errors);
        if (kinName is null && (kinRelationship is not null || kinPhone is not null))
        {
            Error(nameof(NextOfKinName), "Enter the next of kin's name");
        }
        var ethnic = Text(EthnicCategory, 2, nameof(EthnicCategory), "Ethnic category", errors)?.ToUpperInvariant();
        if (ethnic is not null && !Patients.EthnicCategory.IsValid(ethnic))
        {
            Error(nameof(EthnicCategory), "Ethnic category must be an NHS Data Dictionary code (A to S, Z or 99)");
        }
        var language = Text(PreferredLanguage, 50, nameof(PreferredLanguage), "Language", errors);
        if (InterpreterRequired && language is null)
        {
            Error(nameof(PreferredLanguage), "Enter the language the interpreter is needed for");
        }
        var died = Date(DateOfDeath, nameof(DateOfDeath), "Date of death", required: false, errors);
        if (died is { } death)
        {
            if (death > today)
            {
                Error(nameof(DateOfDeath), "Date of death must be today or in the past");
            }
            else if (birthDate is { } b && death < b)
            {
                Error(nameof(DateOfDeath), "Date of death must be on or after the date of birth");
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new Demographics(family!, given!, birthDate!.Value, gender!.Value)
        {
            Title = title,
            OtherGivenNames = otherGiven,
            PreviousFamilyName = previousFamily,
            Sex = sex,
            NhsNumber = nhsNumber,
            NhsNumberStatus = status!.Value,
            AddressLine1 = line1,
            AddressLine2 = line2,
            Town = town,
            Postcode = postcode,
            Phone = phone,
            Email = email,
            GpPracticeCode = gp,
            NextOfKinName = kinName,
            NextOfKinRelationship = kinRelationship,
            NextOfKinPhone = kinPhone,
            EthnicCategory = ethnic,
            InterpreterRequired = InterpreterRequired,
            PreferredLanguage = language,
            DateOfDeath = died,
        }, errors);
    }

    private static string? Text(string? value, int max, string field, string label, List<FieldError> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (text.Length > max)
        {
            errors.Add(new(field, $"{label} must be {max} characters or fewer"));
        }
        else if (text.Any(char.IsControl))
        {
            errors.Add(new(field, $"{label} must not contain control characters"));
        }
        return text;
    }

    private static string? PhoneNumber(string? value, string field, string label, List<FieldError> errors)
    {
        var text = Text(value, 20, field, label, errors);
        if (text is not null && !PhonePattern().IsMatch(text))
        {
            errors.Add(new(field, $"{label} must be a UK or international phone number, like 01632 960 001 or +44 7700 900 982"));
        }
        return text;
    }

    private static DateOnly? Date(string? value, string field, string label, bool required, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(new(field, $"Enter the {label.ToLowerInvariant()}"));
            }
            return null;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.Add(new(field, $"{label} must be a real date"));
        return null;
    }
}

/// <summary>A problem with one field, named as in <see cref="PatientDetails"/>.</summary>
public sealed record FieldError(string Field, string Message);
