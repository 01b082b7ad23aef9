using Lantern.Server.Patients.Search;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;

namespace Lantern.Server.Patients.Pages;

/// <summary>
/// Find a patient by any mix of NHS number, hospital number, names, date of birth (or year), postcode and
/// gender. A form post, so that identifiers stay out of URLs, browser history and proxy logs.
/// </summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class PatientSearchModel(PatientSearch search) : FormPageModel
{
    [BindProperty] public string? NhsNumber { get; set; }
    [BindProperty] public string? Mrn { get; set; }
    [BindProperty] public string? FamilyName { get; set; }
    [BindProperty] public bool SoundsLike { get; set; } = true;
    [BindProperty] public string? GivenName { get; set; }
    [BindProperty] public string? BirthDateDay { get; set; }
    [BindProperty] public string? BirthDateMonth { get; set; }
    [BindProperty] public string? BirthDateYear { get; set; }
    [BindProperty] public string? Postcode { get; set; }
    [BindProperty] public string? Gender { get; set; }
    [BindProperty] public int PageNumber { get; set; } = 1;

    public DateParts BirthDateParts => new(BirthDateDay, BirthDateMonth, BirthDateYear);
    public PatientSearchPage? Results { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancel)
    {
        var yearOnly = string.IsNullOrWhiteSpace(BirthDateDay) && string.IsNullOrWhiteSpace(BirthDateMonth) && !string.IsNullOrWhiteSpace(BirthDateYear);
        string? problem = null;
        var birthDate = yearOnly ? BirthDateYear!.Trim() : BirthDateParts.ToIso(out problem);
        if (problem is not null)
        {
            AddError("BirthDate", "Date of birth must be a real date, or just a year");
            return Page();
        }
        var criteria = new PatientSearchCriteria
        {
            NhsNumber = NhsNumber, Mrn = Mrn, FamilyName = FamilyName, SoundsLike = SoundsLike, GivenName = GivenName,
            BirthDate = birthDate, Postcode = Postcode, Gender = Gender, Page = Math.Max(PageNumber, 1),
        };
        var (parsed, errors) = criteria.Validate();
        foreach (var error in errors)
        {
            AddError(error.Field, error.Message);
        }
        if (parsed is null)
        {
            return Page();
        }
        Results = await search.SearchAsync(parsed, cancel);
        return Page();
    }
}
