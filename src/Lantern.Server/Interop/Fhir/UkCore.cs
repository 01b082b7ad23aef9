namespace Lantern.Server.Interop.Fhir;

/// <summary>The UK Core (FHIR R4) systems, profiles and extensions Lantern's resources use.</summary>
public static class UkCore
{
    public const string PatientProfile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
    public const string OdsOrganisationSystem = "https://fhir.nhs.uk/Id/ods-organization-code";

    public const string NhsNumberVerificationStatusExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
    public const string NhsNumberVerificationStatusSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";
    public const string EthnicCategoryExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory";
    public const string EthnicCategorySystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland";
    public const string InterpreterRequiredExtension = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired";

    /// <summary>The trust's own patient identifier (hospital number, MRN), in the NHS pattern for local identifiers.</summary>
    public static string MrnSystem => $"https://fhir.{Patients.Registration.HospitalNumbers.Prefix.ToLowerInvariant()}.nhs.uk/Id/local-patient-identifier";
}
