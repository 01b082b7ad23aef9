using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform.Ui;
using Microsoft.AspNetCore.Mvc;

namespace Lantern.Server.Patients.Pages;

/// <summary>
/// The demographics form shared by registration and editing (_DemographicsFields.cshtml). Reads the posted
/// fields into <see cref="PatientDetails"/>, whose validation names the same fields as the form.
/// </summary>
public abstract class DemographicsFormModel : FormPageModel
{
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? FamilyName { get; set; }
    [BindProperty] public string? GivenName { get; set; }
    [BindProperty] public string? OtherGivenNames { get; set; }
    [BindProperty] public string? PreviousFamilyName { get; set; }
    [BindProperty] public string? BirthDateDay { get; set; }
    [BindProperty] public string? BirthDateMonth { get; set; }
    [BindProperty] public string? BirthDateYear { get; set; }
    [BindProperty] public string? Gender { get; set; }
    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? NhsNumber { get; set; }
    [BindProperty] public string? NhsNumberStatus { get; set; }
    [BindProperty] public string? AddressLine1 { get; set; }
    [BindProperty] public string? AddressLine2 { get; set; }
    [BindProperty] public string? Town { get; set; }
    [BindProperty] public string? Postcode { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? GpPracticeCode { get; set; }
    [BindProperty] public string? NextOfKinName { get; set; }
    [BindProperty] public string? NextOfKinRelationship { get; set; }
    [BindProperty] public string? NextOfKinPhone { get; set; }
    [BindProperty] public string? EthnicCategory { get; set; }
    [BindProperty] public bool InterpreterRequired { get; set; }
    [BindProperty] public string? PreferredLanguage { get; set; }
    [BindProperty] public string? DateOfDeathDay { get; set; }
    [BindProperty] public string? DateOfDeathMonth { get; set; }
    [BindProperty] public string? DateOfDeathYear { get; set; }

    /// <summary>Whether the form offers "previous family name" (registration) or keeps name history itself (edit).</summary>
    public virtual bool AsksPreviousName => true;

    public DateParts BirthDateParts => new(BirthDateDay, BirthDateMonth, BirthDateYear);
    public DateParts DateOfDeathParts => new(DateOfDeathDay, DateOfDeathMonth, DateOfDeathYear);

    /// <summary>Validates the form; null (with errors added) when something needs correcting.</summary>
    protected Demographics? ReadDemographics(DateOnly today)
    {
        var birth = BirthDateParts.ToIso(out var birthProblem);
        var death = DateOfDeathParts.ToIso(out var deathProblem);
        var details = new PatientDetails
        {
            Title = Title, FamilyName = FamilyName, GivenName = GivenName, OtherGivenNames = OtherGivenNames,
            PreviousFamilyName = AsksPreviousName ? PreviousFamilyName : null, BirthDate = birth, Gender = Gender, Sex = Sex,
            NhsNumber = NhsNumber, NhsNumberStatus = NhsNumberStatus, AddressLine1 = AddressLine1, AddressLine2 = AddressLine2,
            Town = Town, Postcode = Postcode, Phone = Phone, Email = Email, GpPracticeCode = GpPracticeCode,
            NextOfKinName = NextOfKinName, NextOfKinRelationship = NextOfKinRelationship, NextOfKinPhone = NextOfKinPhone,
            EthnicCategory = EthnicCategory, InterpreterRequired = InterpreterRequired, PreferredLanguage = PreferredLanguage,
            DateOfDeath = death,
        };
        var (demographics, errors) = details.Validate(today);
        foreach (var error in errors)
        {
            // The boxes held something that is not a date: say that, rather than "enter the date".
            AddError(error.Field, error.Field == nameof(PatientDetails.BirthDate) && birthProblem is not null ? "Date of birth " + birthProblem : error.Message);
        }
        if (deathProblem is not null)
        {
            AddError(nameof(PatientDetails.DateOfDeath), "Date of death " + deathProblem);
        }
        return ModelState.IsValid ? demographics : null;
    }

    protected void Fill(Patient p)
    {
        var d = PatientDetails.From(p);
        (Title, FamilyName, GivenName, OtherGivenNames, Gender, Sex) = (d.Title, d.FamilyName, d.GivenName, d.OtherGivenNames, d.Gender, d.Sex);
        (NhsNumber, NhsNumberStatus) = (p.NhsNumber is null ? null : Patients.NhsNumber.Format(p.NhsNumber), d.NhsNumberStatus);
        (AddressLine1, AddressLine2, Town, Postcode, Phone, Email) = (d.AddressLine1, d.AddressLine2, d.Town, d.Postcode, d.Phone, d.Email);
        (GpPracticeCode, NextOfKinName, NextOfKinRelationship, NextOfKinPhone) = (d.GpPracticeCode, d.NextOfKinName, d.NextOfKinRelationship, d.NextOfKinPhone);
        (EthnicCategory, InterpreterRequired, PreferredLanguage) = (d.EthnicCategory, d.InterpreterRequired, d.PreferredLanguage);
        (BirthDateDay, BirthDateMonth, BirthDateYear) = DateParts.Of(p.BirthDate);
        (DateOfDeathDay, DateOfDeathMonth, DateOfDeathYear) = DateParts.Of(p.DateOfDeath);
    }
}
