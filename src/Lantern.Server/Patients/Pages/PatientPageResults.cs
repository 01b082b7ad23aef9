using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;

namespace Lantern.Server.Patients.Pages;

internal static class PatientPageResults
{
    /// <summary>
    /// Where a demographics page goes instead of showing: 404 for a missing or sealed record, or the same page
    /// of the survivor for a merged one. Null when the page should show.
    /// </summary>
    public static IActionResult? Elsewhere(PatientAccessDecision decision, string page) => decision.Level switch
    {
        PatientAccessLevel.NotFound => new NotFoundResult(),
        PatientAccessLevel.Merged => new RedirectResult($"/patients/{decision.Patient!.MergedIntoId}{page}"),
        _ => null,
    };
}
