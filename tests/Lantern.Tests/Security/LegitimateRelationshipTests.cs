using System.Net;
using System.Net.Http.Json;
using Lantern.Server.Audit;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Tests.Security;

/// <summary>Clinical staff open records of patients in their care; anyone else must break the glass, on the record.</summary>
public sealed class LegitimateRelationshipTests
{
    [Fact]
    public async Task A_nurse_opens_a_patient_on_her_ward_and_the_reason_is_audited()
    {
        await using var app = LanternApp.Sqlite();
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse"); // Ward 7
        var smith = await AuditTrailContract.PatientIdAsync(app, "Smith"); // on Ward 7

        var page = await nurse.GetPageAsync($"/patients/{smith}");

        Assert.Contains("SMITH", page.QuerySelector("[data-testid=patient-banner]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ward 7", page.QuerySelector("[data-testid=access-basis]")!.TextContent, StringComparison.Ordinal);
        var entry = await LastEntryAsync(app);
        Assert.Equal(("nurse", "Nurse", AuditAction.Read, smith, AuditOutcome.Success), (entry.UserName, entry.Role, entry.Action, entry.PatientId!.Value, entry.Outcome));
        Assert.StartsWith("WardPatient", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_doctor_opens_a_patient_under_her_team_on_another_ward()
    {
        await using var app = LanternApp.Sqlite();
        using var doctor = await StaffBrowser.SignedInAsync(app, "doctor"); // Cardiology - Dr Bennett, no wards
        var smith = await AuditTrailContract.PatientIdAsync(app, "Smith");

        var page = await doctor.GetPageAsync($"/patients/{smith}");

        Assert.Contains("Cardiology - Dr Bennett", page.QuerySelector("[data-testid=access-basis]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nurse_opens_the_record_of_a_patient_her_ward_expects_within_the_day_but_not_of_one_expected_later()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var today = await Inpatients.InpatientTestData.OutpatientAsync(app, Lantern.Server.Patients.Gender.Female);
        var later = await Inpatients.InpatientTestData.OutpatientAsync(app, Lantern.Server.Patients.Gender.Male);
        var now = app.Clock.GetUtcNow();
        foreach (var (patient, at) in new[] { (today.Id, now.AddHours(6)), (later.Id, now.AddDays(3)) })
        {
            var expected = await clerk.Http.PostAsJsonAsync("/api/inpatients/expected-admissions", new { patientId = patient, wardCode = "W07", expectedAt = at, admissionMethod = "11" });
            Assert.Equal(HttpStatusCode.Created, expected.StatusCode);
        }
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse"); // Ward 7

        var page = await nurse.GetPageAsync($"/patients/{today.Id}");
        Assert.Contains("expected on your ward within the day (Ward 7", page.QuerySelector("[data-testid=access-basis]")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("ExpectedOnWard", (await LastEntryAsync(app)).Reason, StringComparison.Ordinal);
        var refused = await nurse.Http.GetAsync($"/patients/{later.Id}");
        Assert.Equal($"/patients/{later.Id}/break-glass", refused.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_nurse_on_ward_7_must_break_the_glass_for_a_ward_12_patient_and_IG_sees_it()
    {
        await using var app = LanternApp.Sqlite();
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var hughes = await AuditTrailContract.PatientIdAsync(app, "Hughes"); // on Ward 12

        var refused = await nurse.Http.GetAsync($"/patients/{hughes}");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal($"/patients/{hughes}/break-glass", refused.Headers.Location!.OriginalString);
        Assert.Equal((AuditOutcome.Denied, "No legitimate relationship"), ((await LastEntryAsync(app)).Outcome, (await LastEntryAsync(app)).Reason));

        // No reason, no access: an error summary naming both fields, and nothing granted.
        var empty = await nurse.PostFormAsync($"/patients/{hughes}/break-glass", new() { ["Explanation"] = "" });
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal(["Reason", "Explanation"], StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(empty)).Select(e => e.Field));
        Assert.Equal(0, await app.WithDbAsync(db => db.BreakGlassAccesses.CountAsync()));

        var granted = await nurse.PostFormAsync($"/patients/{hughes}/break-glass",
            new() { ["Reason"] = "CoveringColleague", ["Explanation"] = "Covering Ward 12 breaks; patient deteriorating" });
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        var record = await nurse.GetPageAsync($"/patients/{hughes}");
        Assert.NotNull(record.QuerySelector("[data-testid=break-glass-notice]"));

        using var ig = await StaffBrowser.SignedInAsync(app, "igauditor");
        var queue = await ig.GetPageAsync("/audit/break-glass");
        Assert.Contains("1 access is waiting", queue.QuerySelector("[data-testid=waiting-count]")!.TextContent, StringComparison.Ordinal);
        var card = queue.QuerySelector("[data-testid^=break-glass-]:not([data-testid=break-glass-notice])")!;
        Assert.Contains("nurse (Nurse)", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Covering Ward 12 breaks", card.TextContent, StringComparison.Ordinal);

        var report = await ig.GetPageAsync($"/patients/{hughes}/access-report");
        var rows = report.QuerySelectorAll("[data-testid=audit-entries] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("nurse", StringComparison.Ordinal) && r.Contains("BreakGlass", StringComparison.Ordinal)
            && r.Contains("CoveringColleague: Covering Ward 12 breaks", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("nurse", StringComparison.Ordinal) && r.Contains("Denied", StringComparison.Ordinal));

        // The review closes the item and is itself audited.
        var accessId = await app.WithDbAsync(db => db.BreakGlassAccesses.Select(b => b.Id).SingleAsync());
        var reviewed = await ig.PostFormAsync("/audit/break-glass", new() { ["AccessId"] = accessId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Outcome"] = "Appropriate", ["Note"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, reviewed.StatusCode);
        Assert.Contains("0 accesses are waiting", (await ig.GetPageAsync("/audit/break-glass")).QuerySelector("[data-testid=waiting-count]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(AuditAction.BreakGlassReview, (await LastEntryAsync(app)).Action);
    }

    [Fact]
    public async Task Break_glass_access_ends_after_the_configured_hours()
    {
        await using var app = LanternApp.Sqlite(new Dictionary<string, string?> { ["Lantern:BreakGlassHours"] = "2" });
        var hughes = await AuditTrailContract.PatientIdAsync(app, "Hughes");
        using (var nurse = await StaffBrowser.SignedInAsync(app, "nurse"))
        {
            await nurse.PostFormAsync($"/patients/{hughes}/break-glass", new() { ["Reason"] = "EmergencyCare", ["Explanation"] = "Cardiac arrest call on Ward 12" });
            Assert.Equal(HttpStatusCode.OK, (await nurse.Http.GetAsync($"/patients/{hughes}")).StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        using var later = await StaffBrowser.SignedInAsync(app, "nurse");
        var response = await later.Http.GetAsync($"/patients/{hughes}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/break-glass", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ward_clerk_sees_demographics_only()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var smith = await AuditTrailContract.PatientIdAsync(app, "Smith");

        var page = await clerk.GetPageAsync($"/patients/{smith}");

        Assert.NotNull(page.QuerySelector("[data-testid=demographics-only]"));
        Assert.Null(page.QuerySelector("[data-testid=current-admission]"));
        Assert.Equal("Demographics only (role)", (await LastEntryAsync(app)).Reason);
    }

    [Fact]
    public async Task A_sensitive_record_is_hidden_from_search_and_refused_without_permission_and_the_attempt_is_audited()
    {
        await using var app = LanternApp.Sqlite();
        var williams = await AuditTrailContract.PatientIdAsync(app, "Williams"); // sensitive, on Ward 7
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        using var doctor = await StaffBrowser.SignedInAsync(app, "doctor"); // has permission

        var nurseSearch = await StaffBrowser.ParseAsync(await nurse.PostFormAsync("/patients", new() { ["FamilyName"] = "Williams" }));
        var doctorSearch = await StaffBrowser.ParseAsync(await doctor.PostFormAsync("/patients", new() { ["FamilyName"] = "williams" }));
        Assert.DoesNotContain(nurseSearch.QuerySelectorAll("[data-testid=search-results] tbody tr"), r => r.TextContent.Contains("Carys", StringComparison.Ordinal));
        Assert.Single(doctorSearch.QuerySelectorAll("[data-testid=search-results] tbody tr"), r => r.TextContent.Contains("Carys", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, (await nurse.Http.GetAsync($"/patients/{williams}")).StatusCode);
        var attempt = await LastEntryAsync(app);
        Assert.Equal(("nurse", AuditOutcome.Denied, "Sensitive record: no permission", williams), (attempt.UserName, attempt.Outcome, attempt.Reason, attempt.PatientId!.Value));
        Assert.Equal(HttpStatusCode.OK, (await doctor.Http.GetAsync($"/patients/{williams}")).StatusCode);
    }

    [Fact]
    public async Task Searching_by_NHS_number_with_spaces_finds_the_patient_and_is_audited()
    {
        await using var app = LanternApp.Sqlite();
        var nhs = await app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == "Smith").OrderBy(p => p.Mrn).Select(p => p.NhsNumber!).FirstAsync());
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");

        var page = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/patients", new() { ["NhsNumber"] = $"{nhs[..3]} {nhs[3..6]} {nhs[6..]}" }));

        Assert.Contains("Smith", page.QuerySelector("[data-testid=search-results]")!.TextContent, StringComparison.OrdinalIgnoreCase);
        var entry = await LastEntryAsync(app);
        Assert.Equal(AuditAction.Search, entry.Action);
        Assert.Equal($"nhs={nhs}; 1 result(s)", entry.Reason);
    }

    private static Task<AuditEntry> LastEntryAsync(LanternApp app) =>
        app.WithDbAsync(db => db.AuditEntries.OrderByDescending(e => e.Sequence).FirstAsync());
}
