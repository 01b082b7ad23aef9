namespace Lantern.Server.Patients;

/// <summary>
/// A person the trust cares for: identity and demographics, the master patient index entry. Clinical
/// modules refer to a patient by <see cref="Id"/>, never by NHS number or MRN. Demographics change only
/// through <see cref="Record"/>, which keeps the search keys in step with the names.
/// </summary>
public sealed class Patient
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();

    /// <summary>Ten digits, no spaces; null until known (e.g. an unidentified ED patient).</summary>
    public string? NhsNumber { get; private set; }

    public NhsNumberStatus NhsNumberStatus { get; private set; }

    /// <summary>The trust's own hospital number (medical record number), allocated at registration.</summary>
    public string Mrn { get; private set; }

    public string FamilyName { get; private set; }
    public string GivenName { get; private set; }
    public string? OtherGivenNames { get; private set; }
    public string? Title { get; private set; }

    /// <summary>Earlier family names (e.g. before marriage); kept when the family name changes.</summary>
    public List<PreviousName> PreviousNames { get; private set; } = [];

    public DateOnly BirthDate { get; private set; }

    /// <summary>Person stated gender (administrative gender): what the banner shows and search filters on.</summary>
    public Gender Gender { get; private set; }

    /// <summary>Phenotypic sex where recorded: matters for reference ranges and same-sex accommodation.</summary>
    public Sex? Sex { get; private set; }

    public string? AddressLine1 { get; private set; }
    public string? AddressLine2 { get; private set; }
    public string? Town { get; private set; }

    /// <summary>Canonical form with one space before the inward code ("SW1A 1AA").</summary>
    public string? Postcode { get; private set; }

    public string? Phone { get; private set; }
    public string? Email { get; private set; }

    /// <summary>ODS code of the registered GP practice (e.g. A81001).</summary>
    public string? GpPracticeCode { get; private set; }

    public string? NextOfKinName { get; private set; }
    public string? NextOfKinRelationship { get; private set; }
    public string? NextOfKinPhone { get; private set; }

    /// <summary>NHS Data Dictionary ethnic category code (A–S, Z not stated, 99 not known).</summary>
    public string? EthnicCategory { get; private set; }

    public bool InterpreterRequired { get; private set; }
    public string? PreferredLanguage { get; private set; }
    public DateOnly? DateOfDeath { get; private set; }

    /// <summary>
    /// A sealed record (e.g. gender reassignment, protected adoption, public figure): hidden from searches
    /// and lists for anyone without explicit permission to see sensitive records.
    /// </summary>
    public bool IsSensitive { get; private set; }

    /// <summary>Set while this record is merged into another (the survivor): it redirects there and is left out of searches.</summary>
    public Guid? MergedIntoId { get; private set; }

    /// <summary>Optimistic concurrency: bumped on every change, so a second clerk's stale save is refused.</summary>
    public int Version { get; private set; }

    public DateTime RegisteredAt { get; private set; }

    // Search keys, derived from the names: upper-case letters only, and Soundex of the family name.
    public string FamilyNameKey { get; private set; } = "";
    public string FamilyNameSound { get; private set; } = "";
    public string GivenNameKey { get; private set; } = "";

    public Patient(string mrn, Demographics demographics, DateTime registeredAt)
    {
        Mrn = mrn;
        RegisteredAt = registeredAt;
        FamilyName = GivenName = "";
        Apply(demographics);
    }

    private Patient()
    {
        Mrn = FamilyName = GivenName = "";
    }

    public bool IsDeceased => DateOfDeath is not null;

    /// <summary>Records corrected or updated demographics; a changed family name is kept as a previous name.</summary>
    public void Record(Demographics demographics, DateTime at)
    {
        if (!string.Equals(FamilyName, demographics.FamilyName, StringComparison.Ordinal) && FamilyName.Length > 0
            && NameKeys.Key(FamilyName) != NameKeys.Key(demographics.FamilyName))
        {
            PreviousNames.Add(new PreviousName(FamilyName, GivenName, DateOnly.FromDateTime(at)));
        }
        Apply(demographics);
        Version++;
    }

    private void Apply(Demographics d)
    {
        if (d.NhsNumber is not null && !Patients.NhsNumber.IsValid(d.NhsNumber))
        {
            throw new ArgumentException("Not a valid NHS number", nameof(d));
        }
        NhsNumber = d.NhsNumber;
        NhsNumberStatus = d.NhsNumberStatus;
        FamilyName = d.FamilyName;
        GivenName = d.GivenName;
        OtherGivenNames = d.OtherGivenNames;
        Title = d.Title;
        if (d.PreviousFamilyName is { } previous && !PreviousNames.Any(n => NameKeys.Key(n.FamilyName) == NameKeys.Key(previous)))
        {
            PreviousNames.Add(new PreviousName(previous, null, null));
        }
        BirthDate = d.BirthDate;
        Gender = d.Gender;
        Sex = d.Sex;
        AddressLine1 = d.AddressLine1;
        AddressLine2 = d.AddressLine2;
        Town = d.Town;
        Postcode = d.Postcode;
        Phone = d.Phone;
        Email = d.Email;
        GpPracticeCode = d.GpPracticeCode;
        NextOfKinName = d.NextOfKinName;
        NextOfKinRelationship = d.NextOfKinRelationship;
        NextOfKinPhone = d.NextOfKinPhone;
        EthnicCategory = d.EthnicCategory;
        InterpreterRequired = d.InterpreterRequired;
        PreferredLanguage = d.PreferredLanguage;
        DateOfDeath = d.DateOfDeath;
        FamilyNameKey = NameKeys.Key(FamilyName);
        FamilyNameSound = NameKeys.Soundex(FamilyName);
        GivenNameKey = NameKeys.Key(GivenName);
    }

    public void MarkSensitive(bool sensitive) => IsSensitive = sensitive;

    public void MergeInto(Guid survivorId)
    {
        MergedIntoId = survivorId;
        Version++;
    }

    public void Unmerge()
    {
        MergedIntoId = null;
        Version++;
    }

    /// <summary>Age in whole years on <paramref name="today"/> (or at death).</summary>
    public int AgeOn(DateOnly today) => Age(BirthDate, DateOfDeath, today);

    public static int Age(DateOnly born, DateOnly? died, DateOnly today)
    {
        var on = died is { } death && death < today ? death : today;
        return on.Year - born.Year - (on < born.AddYears(on.Year - born.Year) ? 1 : 0);
    }
}

/// <summary>A family name the patient was known by before (e.g. before marriage): shown, and found by search.</summary>
public sealed class PreviousName
{
    public PreviousName(string familyName, string? givenName, DateOnly? until)
    {
        FamilyName = familyName;
        GivenName = givenName;
        Until = until;
        FamilyNameKey = NameKeys.Key(familyName);
        FamilyNameSound = NameKeys.Soundex(familyName);
    }

    public string FamilyName { get; private set; }
    public string? GivenName { get; private set; }

    /// <summary>When the patient stopped using it, where known.</summary>
    public DateOnly? Until { get; private set; }

    [System.Text.Json.Serialization.JsonIgnore] public string FamilyNameKey { get; private set; }
    [System.Text.Json.Serialization.JsonIgnore] public string FamilyNameSound { get; private set; }
}
