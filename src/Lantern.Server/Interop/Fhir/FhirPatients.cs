using System.Globalization;
using Hl7.Fhir.Model;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Registration;
using FhirPatient = Hl7.Fhir.Model.Patient;
using LanternPatient = Lantern.Server.Patients.Patient;

namespace Lantern.Server.Interop.Fhir;

/// <summary>
/// Lantern's patient as a UK Core Patient and back. Incoming resources become the same <see cref="PatientDetails"/>
/// the registration pages use, so FHIR clients get exactly the pages' validation; its field errors are named by
/// their FHIR element (<see cref="ElementOf"/>).
/// </summary>
public static class FhirPatients
{
    public static FhirPatient ToFhir(LanternPatient p)
    {
        var resource = new FhirPatient
        {
            Id = p.Id.ToString(),
            Meta = new Meta { VersionId = p.Version.ToString(CultureInfo.InvariantCulture), Profile = [UkCore.PatientProfile] },
            Gender = p.Gender switch
            {
                Gender.Male => AdministrativeGender.Male,
                Gender.Female => AdministrativeGender.Female,
                Gender.Other => AdministrativeGender.Other,
                _ => AdministrativeGender.Unknown,
            },
            BirthDate = p.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (p.NhsNumber is not null)
        {
            var nhs = new Identifier(UkCore.NhsNumberSystem, p.NhsNumber);
            nhs.Extension.Add(new Extension(UkCore.NhsNumberVerificationStatusExtension,
                new CodeableConcept(UkCore.NhsNumberVerificationStatusSystem, p.NhsNumberStatus.Code(), p.NhsNumberStatus.Display())));
            resource.Identifier.Add(nhs);
        }
        resource.Identifier.Add(new Identifier(UkCore.MrnSystem, p.Mrn) { Use = Identifier.IdentifierUse.Usual });

        var name = new HumanName { Use = HumanName.NameUse.Official, Family = p.FamilyName, Given = [p.GivenName, .. Words(p.OtherGivenNames)] };
        if (p.Title is not null)
        {
            name.Prefix = [p.Title];
        }
        resource.Name.Add(name);
        foreach (var previous in p.PreviousNames)
        {
            resource.Name.Add(new HumanName { Use = HumanName.NameUse.Old, Family = previous.FamilyName, Given = previous.GivenName is null ? [] : [previous.GivenName] });
        }
        if (p.AddressLine1 is not null || p.Town is not null || p.Postcode is not null)
        {
            resource.Address.Add(new Address
            {
                Use = Address.AddressUse.Home,
                Line = [.. new[] { p.AddressLine1, p.AddressLine2 }.OfType<string>()],
                City = p.Town,
                PostalCode = p.Postcode,
            });
        }
        if (p.Phone is not null)
        {
            resource.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, p.Phone));
        }
        if (p.Email is not null)
        {
            resource.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Home, p.Email));
        }
        if (p.GpPracticeCode is not null)
        {
            resource.GeneralPractitioner.Add(new ResourceReference { Identifier = new Identifier(UkCore.OdsOrganisationSystem, p.GpPracticeCode) });
        }
        if (p.NextOfKinName is not null)
        {
            var contact = new FhirPatient.ContactComponent { Name = new HumanName { Text = p.NextOfKinName } };
            contact.Relationship.Add(new CodeableConcept { Text = p.NextOfKinRelationship });
            if (p.NextOfKinPhone is not null)
            {
                contact.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, p.NextOfKinPhone));
            }
            resource.Contact.Add(contact);
        }
        if (p.EthnicCategory is not null)
        {
            var display = EthnicCategory.All.FirstOrDefault(c => c.Code == p.EthnicCategory).Display;
            resource.Extension.Add(new Extension(UkCore.EthnicCategoryExtension, new CodeableConcept(UkCore.EthnicCategorySystem, p.EthnicCategory, display)));
        }
        if (p.InterpreterRequired)
        {
            resource.Extension.Add(new Extension(UkCore.InterpreterRequiredExtension, new FhirBoolean(true)));
        }
        if (p.PreferredLanguage is not null)
        {
            resource.Communication.Add(new FhirPatient.CommunicationComponent { Language = new CodeableConcept { Text = p.PreferredLanguage }, Preferred = true });
        }
        if (p.DateOfDeath is { } died)
        {
            resource.Deceased = new FhirDateTime(died.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return resource;
    }

    /// <summary>The details a FHIR client sent, in the registration pages' terms (validated by <see cref="PatientDetails.Validate"/>).</summary>
    public static PatientDetails ToDetails(FhirPatient r)
    {
        var name = r.Name.FirstOrDefault(n => n.Use is HumanName.NameUse.Official or HumanName.NameUse.Usual) ?? r.Name.FirstOrDefault(n => n.Use != HumanName.NameUse.Old);
        var previous = r.Name.FirstOrDefault(n => n.Use == HumanName.NameUse.Old);
        var nhs = r.Identifier.FirstOrDefault(i => i.System == UkCore.NhsNumberSystem);
        var address = r.Address.FirstOrDefault(a => a.Use is null or Address.AddressUse.Home) ?? r.Address.FirstOrDefault();
        var lines = address?.Line.ToList() ?? [];
        // Lantern holds UK postcodes; an address abroad keeps its postal code, region and country in the second line.
        var abroad = address?.Country is { Length: > 0 } country && !UkCountries.Contains(country.Trim());
        if (abroad)
        {
            lines = [lines.FirstOrDefault() ?? "", string.Join(", ", new[] { string.Join(", ", lines.Skip(1)), address!.State, address.PostalCode, address.Country }.Where(s => !string.IsNullOrWhiteSpace(s)))];
        }
        var contact = r.Contact.FirstOrDefault();
        var given = name?.Given.ToList() ?? [];
        return new PatientDetails
        {
            Title = name?.Prefix.FirstOrDefault(),
            FamilyName = name?.Family,
            GivenName = given.FirstOrDefault(),
            OtherGivenNames = given.Count > 1 ? string.Join(' ', given.Skip(1)) : null,
            PreviousFamilyName = previous?.Family,
            BirthDate = r.BirthDate,
            Gender = r.Gender?.ToString().ToLowerInvariant(),
            NhsNumber = nhs?.Value,
            NhsNumberStatus = (nhs?.GetExtensionValue<CodeableConcept>(UkCore.NhsNumberVerificationStatusExtension))?.Coding.FirstOrDefault()?.Code,
            AddressLine1 = lines.ElementAtOrDefault(0),
            AddressLine2 = lines.Count > 1 ? string.Join(", ", lines.Skip(1)) : null,
            Town = address?.City,
            Postcode = abroad ? null : address?.PostalCode,
            Phone = r.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone)?.Value,
            Email = r.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Email)?.Value,
            GpPracticeCode = r.GeneralPractitioner.Select(g => g.Identifier).FirstOrDefault(i => i?.System == UkCore.OdsOrganisationSystem)?.Value,
            NextOfKinName = contact?.Name?.Text ?? (contact?.Name is { } n ? string.Join(' ', [.. n.Given, n.Family]).Trim() : null),
            NextOfKinRelationship = contact?.Relationship.Select(c => c.Text ?? c.Coding.FirstOrDefault()?.Display).FirstOrDefault(t => t is not null),
            NextOfKinPhone = contact?.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone)?.Value,
            EthnicCategory = r.GetExtensionValue<CodeableConcept>(UkCore.EthnicCategoryExtension)?.Coding.FirstOrDefault()?.Code,
            InterpreterRequired = r.GetExtensionValue<FhirBoolean>(UkCore.InterpreterRequiredExtension)?.Value == true,
            PreferredLanguage = r.Communication.FirstOrDefault(c => c.Preferred == true)?.Language?.Text ?? r.Communication.FirstOrDefault()?.Language?.Text,
            DateOfDeath = r.Deceased is FhirDateTime died ? died.Value?[..Math.Min(10, died.Value.Length)] : null,
        };
    }

    /// <summary>The FHIR element a registration field comes from, for OperationOutcome.issue.expression.</summary>
    public static string ElementOf(string field) => field switch
    {
        nameof(PatientDetails.Title) => "Patient.name[0].prefix[0]",
        nameof(PatientDetails.FamilyName) => "Patient.name[0].family",
        nameof(PatientDetails.GivenName) => "Patient.name[0].given[0]",
        nameof(PatientDetails.OtherGivenNames) => "Patient.name[0].given[1]",
        nameof(PatientDetails.PreviousFamilyName) => "Patient.name.where(use='old').family",
        nameof(PatientDetails.BirthDate) => "Patient.birthDate",
        nameof(PatientDetails.Gender) => "Patient.gender",
        nameof(PatientDetails.Sex) => "Patient.gender",
        nameof(PatientDetails.NhsNumber) => "Patient.identifier.where(system='" + UkCore.NhsNumberSystem + "').value",
        nameof(PatientDetails.NhsNumberStatus) => "Patient.identifier.where(system='" + UkCore.NhsNumberSystem + "').extension('" + UkCore.NhsNumberVerificationStatusExtension + "')",
        nameof(PatientDetails.AddressLine1) => "Patient.address[0].line[0]",
        nameof(PatientDetails.AddressLine2) => "Patient.address[0].line[1]",
        nameof(PatientDetails.Town) => "Patient.address[0].city",
        nameof(PatientDetails.Postcode) => "Patient.address[0].postalCode",
        nameof(PatientDetails.Phone) => "Patient.telecom.where(system='phone').value",
        nameof(PatientDetails.Email) => "Patient.telecom.where(system='email').value",
        nameof(PatientDetails.GpPracticeCode) => "Patient.generalPractitioner.identifier.value",
        nameof(PatientDetails.NextOfKinName) => "Patient.contact[0].name",
        nameof(PatientDetails.NextOfKinRelationship) => "Patient.contact[0].relationship",
        nameof(PatientDetails.NextOfKinPhone) => "Patient.contact[0].telecom",
        nameof(PatientDetails.EthnicCategory) => "Patient.extension('" + UkCore.EthnicCategoryExtension + "')",
        nameof(PatientDetails.PreferredLanguage) => "Patient.communication.language",
        nameof(PatientDetails.DateOfDeath) => "Patient.deceasedDateTime",
        _ => "Patient",
    };

    private static readonly HashSet<string> UkCountries = new(StringComparer.OrdinalIgnoreCase)
        { "GB", "GBR", "UK", "United Kingdom", "England", "Wales", "Scotland", "Northern Ireland" };

    private static string[] Words(string? text) => text?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
