namespace Lantern.Server.Patients;

/// <summary>A patient's demographics after validation: the only shape in which they reach <see cref="Patient"/>.</summary>
public sealed record Demographics(string FamilyName, string GivenName, DateOnly BirthDate, Gender Gender)
{
    public string? Title { get; init; }
    public string? OtherGivenNames { get; init; }
    public string? PreviousFamilyName { get; init; }
    public Sex? Sex { get; init; }
    public string? NhsNumber { get; init; }
    public NhsNumberStatus NhsNumberStatus { get; init; } = NhsNumberStatus.TraceRequired;
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
    public DateOnly? DateOfDeath { get; init; }
}
