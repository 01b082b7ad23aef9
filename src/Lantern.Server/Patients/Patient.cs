namespace Lantern.Server.Patients;

/// <summary>
/// A person the trust cares for: identity and demographics. The master patient index builds on this;
/// clinical modules refer to a patient by <see cref="Id"/>, never by NHS number.
/// </summary>
public sealed class Patient
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();

    /// <summary>Ten digits, no spaces; null until known (e.g. an unidentified ED patient).</summary>
    public string? NhsNumber { get; private set; }

    /// <summary>The trust's own hospital number (medical record number).</summary>
    public string Mrn { get; private set; }

    public string FamilyName { get; private set; }
    public string GivenName { get; private set; }
    public string? Title { get; private set; }
    public DateOnly BirthDate { get; private set; }
    public Gender Gender { get; private set; }

    /// <summary>
    /// A sealed record (e.g. gender reassignment, protected adoption, public figure): hidden from searches
    /// and lists for anyone without explicit permission to see sensitive records.
    /// </summary>
    public bool IsSensitive { get; private set; }

    public Patient(string mrn, string familyName, string givenName, string? title, DateOnly birthDate, Gender gender, string? nhsNumber)
    {
        if (nhsNumber is not null && !Patients.NhsNumber.IsValid(nhsNumber))
        {
            throw new ArgumentException("Not a valid NHS number", nameof(nhsNumber));
        }
        Mrn = mrn;
        FamilyName = familyName;
        GivenName = givenName;
        Title = title;
        BirthDate = birthDate;
        Gender = gender;
        NhsNumber = nhsNumber;
    }

    public void MarkSensitive(bool sensitive) => IsSensitive = sensitive;

    /// <summary>Age in whole years on <paramref name="today"/>.</summary>
    public int AgeOn(DateOnly today) =>
        today.Year - BirthDate.Year - (today < BirthDate.AddYears(today.Year - BirthDate.Year) ? 1 : 0);
}
