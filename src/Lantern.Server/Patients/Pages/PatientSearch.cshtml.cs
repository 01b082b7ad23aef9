using Lantern.Server.Audit;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Pages;

/// <summary>
/// Find a patient by NHS number or surname. A form post, so that identifiers stay out of URLs, browser
/// history and proxy logs. Sensitive records are left out for staff without permission; every search is audited.
/// </summary>
[RequireActivity(Activity.ViewDemographics)]
public sealed class PatientSearchModel(PatientAccess access, AuditTrail audit) : FormPageModel
{
    public const int MaxResults = 50;

    [BindProperty] public string? Query { get; set; }
    public IReadOnlyList<Patient>? Results { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancel)
    {
        var query = Query?.Trim() ?? "";
        var digits = new string([.. query.Where(char.IsAsciiDigit)]);
        if (query.Length == 0)
        {
            AddError(nameof(Query), "Enter an NHS number or a surname");
            return Page();
        }
        var patients = await access.VisiblePatientsAsync();
        if (digits.Length > 0)
        {
            if (digits.Length != 10 || query.Any(c => !char.IsAsciiDigit(c) && c is not ' ' and not '-'))
            {
                AddError(nameof(Query), "NHS number must be 10 digits");
                return Page();
            }
            patients = patients.Where(p => p.NhsNumber == digits);
        }
        else
        {
            // Case-insensitive prefix; the master patient index replaces this with indexed, phonetic search.
            var surname = query.ToUpperInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // runs as SQL upper() ... LIKE, not in .NET
            patients = patients.Where(p => p.FamilyName.ToUpper().StartsWith(surname));
#pragma warning restore CA1304, CA1311, CA1862
        }
        Results = await patients.OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).Take(MaxResults).ToListAsync(cancel);
        await audit.SaveAsync(new AuditEvent(AuditAction.Search, "PatientSearch", digits.Length > 0 ? "nhs:" + digits : "surname:" + query,
            Reason: $"{Results.Count} result(s)"), cancel);
        return Page();
    }
}
