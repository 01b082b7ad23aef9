using System.Security.Claims;
using Lantern.Server.Patients.Search;
using Lantern.Server.Platform.Ui;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;

namespace Lantern.Server.Security.OAuth.Pages;

/// <summary>
/// SMART standalone launch: an app started on its own asks for scope <c>launch/patient</c>, and the member of staff
/// authorising it chooses here which patient it is for. They find the patient as on the search page (only patients
/// they may see are found); choosing one is audited as the app's launch and sends them back to the authorisation
/// with a launch code for that app, person and patient, so the app's <c>patient/</c> scopes reach that patient only.
/// The app's authorisation request rides along in this page's query string, untouched but for the launch code.
/// </summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class ChoosePatientModel(PatientSearch search, PatientAccess access, EhrLaunch launches, IOpenIddictApplicationManager applications) : FormPageModel
{
    [BindProperty] public string? NhsNumber { get; set; }
    [BindProperty] public string? Mrn { get; set; }
    [BindProperty] public string? FamilyName { get; set; }
    [BindProperty] public string? BirthDateDay { get; set; }
    [BindProperty] public string? BirthDateMonth { get; set; }
    [BindProperty] public string? BirthDateYear { get; set; }

    /// <summary>The patient chosen from the results.</summary>
    [BindProperty] public Guid? Chosen { get; set; }

    public DateParts BirthDateParts => new(BirthDateDay, BirthDateMonth, BirthDateYear);
    public string AppName { get; private set; } = "";
    public PatientSearchPage? Results { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel) => await FindAppAsync(cancel) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancel)
    {
        if (!await FindAppAsync(cancel))
        {
            return NotFound();
        }
        return Chosen is { } patient ? await ChooseAsync(patient, cancel) : await SearchAsync(cancel);
    }

    private async Task<IActionResult> SearchAsync(CancellationToken cancel)
    {
        var birthDate = BirthDateParts.ToIso(out var problem);
        if (problem is not null)
        {
            AddError("BirthDate", "Date of birth must be a real date");
            return Page();
        }
        var (parsed, errors) = new PatientSearchCriteria { NhsNumber = NhsNumber, Mrn = Mrn, FamilyName = FamilyName, BirthDate = birthDate, PageSize = 10 }.Validate();
        foreach (var error in errors)
        {
            AddError(error.Field, error.Message);
        }
        if (parsed is not null)
        {
            Results = await search.SearchAsync(parsed, cancel);
        }
        return Page();
    }

    /// <summary>The chosen patient, if this person may open their record at all (found, not sealed from them): back to the authorisation.</summary>
    private async Task<IActionResult> ChooseAsync(Guid patient, CancellationToken cancel)
    {
        var decision = await access.OpenDemographicsAsync(patient, cancel);
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (decision.Level != PatientAccessLevel.DemographicsOnly || userId is null)
        {
            return NotFound();
        }
        var code = await launches.CodeAsync(ClientId!, userId, patient, $"Chose the patient for {AppName} (standalone launch)", cancel);
        var request = new QueryBuilder(Request.Query.Where(p => p.Key != "launch")) { { "launch", code } };
        return Redirect(Request.PathBase + SmartAppLaunch.AuthorizePath + request.ToQueryString());
    }

    private string? ClientId => Request.Query[OpenIddictConstants.Parameters.ClientId];

    /// <summary>The app asking, by its client id in the authorisation request; false when it is not one Lantern knows.</summary>
    private async Task<bool> FindAppAsync(CancellationToken cancel)
    {
        if (string.IsNullOrEmpty(ClientId) || await applications.FindByClientIdAsync(ClientId, cancel) is not { } app)
        {
            return false;
        }
        AppName = await applications.GetDisplayNameAsync(app, cancel) ?? ClientId;
        return true;
    }
}
