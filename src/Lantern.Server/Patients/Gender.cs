namespace Lantern.Server.Patients;

/// <summary>Administrative gender, as FHIR and the NHS Data Dictionary's person stated gender.</summary>
public enum Gender
{
    Unknown,
    Male,
    Female,
    Other,
}

/// <summary>Person phenotypic sex (NHS Data Dictionary): male, female, indeterminate.</summary>
public enum Sex
{
    Male,
    Female,
    Indeterminate,
}
