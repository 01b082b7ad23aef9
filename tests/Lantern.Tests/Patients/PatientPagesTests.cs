using System.Net;
using Lantern.Server.Patients.Merging;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Lantern.Tests.Security;
using Lantern.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Tests.Patients;

/// <summary>The MPI pages staff use: registration with field errors and the duplicate warning, editing, search, merge, and the banner.</summary>
public sealed class PatientPagesTests
{
    private static Dictionary<string, string> Form(string family, string given, string day, string month, string year, string gender = "female") => new()
    {
        ["FamilyName"] = family, ["GivenName"] = given, ["BirthDateDay"] = day, ["BirthDateMonth"] = month, ["BirthDateYear"] = year,
        ["Gender"] = gender, ["AddressLine1"] = "1 Mill Lane", ["Town"] = "Leeds", ["Postcode"] = "LS6 2AB",
    };

    [Fact]
    public async Task Registration_errors_are_listed_in_form_order_and_link_to_their_fields()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var form = Form("", "Ada", "31", "2", "1990");
        form["NhsNumber"] = "943 476 5918";
        form["Postcode"] = "LS6";

        var page = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/patients/register", form));

        var errors = StaffBrowser.ErrorSummary(page);
        Assert.Equal(["FamilyName", "BirthDate", "NhsNumber", "Postcode"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.NotNull(page.GetElementById(e.Field)));
        Assert.Equal("Ada", page.GetElementById("GivenName")!.GetAttribute("value")); // nothing typed is lost
    }

    [Fact]
    public async Task A_near_twin_shows_the_duplicate_warning_and_can_then_be_registered_as_new()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var form = Form("Smyth", "Jon", "12", "3", "1956", "male");

        var warning = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/patients/register", form));
        Assert.Contains("SMITH", warning.QuerySelector("[data-testid=duplicate-warning]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Patients.CountAsync(p => p.FamilyName == "Smyth" && p.GivenName == "Jon")));

        form["AcceptPossibleDuplicates"] = "true";
        var saved = await clerk.PostFormAsync("/patients/register", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var record = await clerk.GetPageAsync(saved.Headers.Location!.OriginalString);
        Assert.Contains("SMYTH", record.QuerySelector("[data-testid=patient-banner]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("registered with hospital number RZZ", record.QuerySelector("[data-testid=confirmation]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_two_clerks_edit_one_patient_the_second_save_is_refused_and_shows_what_is_stored()
    {
        await using var app = LanternApp.Sqlite();
        using var first = await StaffBrowser.SignedInAsync(app, "clerk");
        using var second = await StaffBrowser.SignedInAsync(app, "clerk");
        var id = await AuditTrailContract.PatientIdAsync(app, "Patel");
        var firstForm = await first.GetPageAsync($"/patients/{id}/edit");
        var secondForm = await second.GetPageAsync($"/patients/{id}/edit");
        Dictionary<string, string> Fields(AngleSharp.Html.Dom.IHtmlDocument page, string town) =>
            page.QuerySelectorAll("form input[name]:not([type=hidden][name=__RequestVerificationToken]), form select[name]")
                .Where(e => e.GetAttribute("type") is not ("checkbox" or "radio") || e.HasAttribute("checked"))
                .GroupBy(e => e.GetAttribute("name")!)
                .ToDictionary(g => g.Key, g => g.Key == "Town" ? town : g.Last() is AngleSharp.Html.Dom.IHtmlSelectElement s ? s.Value ?? "" : g.Last().GetAttribute("value") ?? "");

        var saved = await first.PostAsync($"/patients/{id}/edit", Fields(firstForm, "Bradford"), firstForm.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var refused = await StaffBrowser.ParseAsync(await second.PostAsync($"/patients/{id}/edit", Fields(secondForm, "Wakefield"),
            secondForm.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!));

        Assert.Contains("Someone else changed this patient's details", refused.QuerySelector(".nhsuk-error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Bradford", refused.QuerySelector("[data-testid=stored-now]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Wakefield", refused.GetElementById("Town")!.GetAttribute("value"));
        Assert.Equal("Bradford", await app.WithDbAsync(db => db.Patients.Where(p => p.Id == id).Select(p => p.Town).SingleAsync()));
    }

    [Fact]
    public async Task The_search_page_finds_by_sound_and_year_and_pages()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");

        var page = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/patients", new() { ["FamilyName"] = "smyth", ["SoundsLike"] = "true", ["BirthDateYear"] = "1956" }));

        var rows = page.QuerySelectorAll("[data-testid=search-results] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("SMITH", StringComparison.Ordinal) && r.Contains("12-Mar-1956", StringComparison.Ordinal));
        var invalid = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/patients", new() { ["BirthDateDay"] = "31", ["BirthDateMonth"] = "2", ["BirthDateYear"] = "1956" }));
        Assert.Equal("BirthDate", Assert.Single(StaffBrowser.ErrorSummary(invalid)).Field);
    }

    [Fact]
    public async Task Merging_on_the_page_redirects_the_old_record_and_undoing_it_restores_it()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var (inpatient, old) = await app.WithDbAsync(async db =>
        {
            var ids = await db.Patients.Where(p => p.FamilyName == "Hughes" && p.GivenName == "Edith").OrderBy(p => p.NhsNumber == null)
                .Select(p => new { p.Id, p.Mrn }).ToListAsync();
            return ((ids[0].Id, ids[0].Mrn), (ids[1].Id, ids[1].Mrn));
        });

        var compare = await StaffBrowser.ParseAsync(await clerk.PostFormAsync($"/patients/{inpatient.Id}/merge", new() { ["OtherRecord"] = old.Mrn.ToLowerInvariant() }, "Find"));
        Assert.Contains(old.Mrn, compare.QuerySelector("[data-testid=merge-comparison]")!.TextContent, StringComparison.Ordinal);
        var token = compare.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var merged = await clerk.PostAsync($"/patients/{inpatient.Id}/merge?handler=Merge", new() { ["OtherId"] = old.Id.ToString(), ["Keep"] = "this", ["Reason"] = "Same person" }, token);
        Assert.Equal($"/patients/{inpatient.Id}?merged=true", merged.Headers.Location!.OriginalString);

        var redirect = await clerk.Http.GetAsync($"/patients/{old.Id}");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var survivorPage = await clerk.GetPageAsync(redirect.Headers.Location!.OriginalString);
        Assert.Contains(old.Mrn, survivorPage.QuerySelector("[data-testid=merged-redirect]")!.TextContent, StringComparison.Ordinal);

        var mergePage = await clerk.GetPageAsync($"/patients/{inpatient.Id}/merge");
        var mergeId = mergePage.QuerySelector($"[data-testid=merge-{old.Mrn}] input[name=MergeId]")!.GetAttribute("value")!;
        var undone = await clerk.PostAsync($"/patients/{inpatient.Id}/merge?handler=Unmerge", new() { ["MergeId"] = mergeId, ["UnmergeReason"] = "Wrong person" },
            mergePage.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!);
        Assert.Equal($"/patients/{old.Id}?unmerged=true", undone.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.GetAsync($"/patients/{old.Id}")).StatusCode);
    }

    private static readonly string[] BannerUsers = ["clerk", "igauditor", "nurse"];

    /// <summary>
    /// Discovers every page under /patients/{id}, so pages added later are covered, and opens each as someone
    /// allowed there: the NHS banner, with the same facts in the same form, must be on every one.
    /// </summary>
    [Fact]
    public async Task Every_patient_page_shows_the_same_banner()
    {
        await using var app = LanternApp.Sqlite(new Dictionary<string, string?> { ["Lantern:SignInAttemptsPerMinute"] = "1000" });
        var hughes = await app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == "Hughes" && p.GivenName == "Edith" && p.NhsNumber != null).Select(p => p.Id).SingleAsync());
        _ = app.Server;
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Route: "/" + e.RoutePattern.RawText!.TrimStart('/'), Activity: e.Metadata.GetMetadata<RequireActivityAttribute>()?.Activity))
            .Where(e => e.Route.StartsWith("/patients/{id:guid}", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(routes.Count >= 6, string.Join(", ", routes));
        string? banner = null;
        foreach (var (route, activity) in routes)
        {
            // A clerk, the IG auditor, or (for break-glass) a nurse with no relationship to this W12 patient.
            var user = BannerUsers.First(u => activity is null || Lantern.Server.Security.RoleActivities.Grants(
                Lantern.Server.Demo.DemoAccounts.All.Single(a => a.UserName == u).Role, activity.Value));
            using var browser = await StaffBrowser.SignedInAsync(app, user);
            var page = await browser.GetPageAsync(route.Replace("{id:guid}", hughes.ToString(), StringComparison.Ordinal));
            var text = page.QuerySelector("[data-testid=patient-banner]")?.TextContent;
            Assert.True(text is not null, $"{route} as {user} has no patient banner");
            Assert.Contains("HUGHES", text, StringComparison.Ordinal);
            Assert.Matches(@"Born\s*17-Sep-1931 \(95y\)", text);
            Assert.Matches(@"NHS No\.\s*999 \d{3} \d{4}", text);
            Assert.Equal(banner ??= text, text);
        }
    }

    [Fact]
    public void Every_table_with_a_PatientId_moves_in_a_merge_or_is_deliberately_left()
    {
        using var app = LanternApp.Sqlite();
        _ = app.Server;
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var linked = scope.ServiceProvider.GetServices<IPatientLinks>().Select(l => l.EntityType).ToHashSet();
        // The audit trail and the outbound messages record what happened to which record at the time; they never move.
        Type[] stay = [typeof(Lantern.Server.Audit.AuditEntry), typeof(Lantern.Server.Platform.Messaging.OutboxMessage)];
        // Owned types (previous names) are part of the patient row itself.
        foreach (var entity in db.Model.GetEntityTypes().Where(e => !e.IsOwned() && e.FindProperty("PatientId") is not null))
        {
            Assert.True(linked.Contains(entity.ClrType) || stay.Contains(entity.ClrType),
                $"{entity.ClrType.Name} has a PatientId but no IPatientLinks registration: a merge would leave its records behind");
        }
    }
}
