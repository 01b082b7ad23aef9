namespace Lantern.Server.Organisation;

/// <summary>A consultant who leads care: patients are admitted and seen under a named consultant.</summary>
public sealed class Consultant
{
    public int Id { get; private set; }

    /// <summary>General Medical Council reference number (7 digits).</summary>
    public string GmcNumber { get; private set; }
    public string Title { get; private set; }
    public string GivenName { get; private set; }
    public string FamilyName { get; private set; }
    public string SpecialtyCode { get; private set; }
    public Specialty? Specialty { get; private set; }

    public Consultant(string gmcNumber, string title, string givenName, string familyName, string specialtyCode)
    {
        GmcNumber = gmcNumber;
        Title = title;
        GivenName = givenName;
        FamilyName = familyName;
        SpecialtyCode = specialtyCode;
    }

    public string DisplayName => $"{Title} {GivenName} {FamilyName}";
}
