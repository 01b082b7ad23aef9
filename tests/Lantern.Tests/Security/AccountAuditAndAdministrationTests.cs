using System.Net;
using Lantern.Server.Audit;
using Lantern.Server.Demo;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Tests.Security;

public sealed class AccountAuditAndAdministrationTests
{
    [Fact]
    public async Task Sign_in_failed_sign_in_and_sign_out_are_audited_with_who_and_where()
    {
        await using var app = LanternApp.Sqlite();
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd("WardPC/1.0");

        await browser.SignInAsync("nurse", "not-the-password");
        await browser.SignInAsync("nurse", DemoAccounts.Password);
        var home = await browser.GetPageAsync("/");
        var token = home.QuerySelector("form[action='/logout'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/logout", new(), token)).StatusCode);

        var entries = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.RecordType == "StaffUser").OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal([AuditAction.SignInFailed, AuditAction.SignIn, AuditAction.SignOut], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("nurse", e.UserName));
        Assert.Equal("Nurse", entries[1].Role);
        Assert.Equal("WardPC/1.0", entries[0].UserAgent);
        Assert.Equal(AuditOutcome.Failed, entries[0].Outcome);
    }

    [Fact]
    public async Task An_administrator_creates_a_nurse_who_can_then_sign_in_and_disabling_her_stops_it()
    {
        await using var app = LanternApp.Sqlite();
        using var admin = await StaffBrowser.SignedInAsync(app, "admin");
        var ward12 = await app.WithDbAsync(db => db.Wards.Where(w => w.Code == "W12").Select(w => w.Id).SingleAsync());

        var invalid = await admin.PostFormAsync("/admin/users/new", new() { ["UserName"] = "Bad Name", ["TemporaryPassword"] = "short" });
        Assert.Equal(["UserName", "DisplayName", "Role", "TemporaryPassword"],
            StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(invalid)).Select(e => e.Field).Distinct());

        var created = await admin.PostFormAsync("/admin/users/new", new()
        {
            ["UserName"] = "amara.obi", ["DisplayName"] = "Amara Obi", ["JobTitle"] = "Staff Nurse", ["Role"] = "Nurse",
            ["WardIds"] = ward12.ToString(System.Globalization.CultureInfo.InvariantCulture), ["TemporaryPassword"] = "first-day-on-ward-12",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var change = await app.WithDbAsync(db => db.AuditEntries.OrderByDescending(e => e.Sequence).FirstAsync());
        Assert.Equal((AuditAction.PermissionChange, "admin", "amara.obi"), (change.Action, change.UserName, change.RecordId));
        Assert.Contains("role=Nurse; wards=W12", change.Reason, StringComparison.Ordinal);

        using (var amara = await StaffBrowser.SignedInAsync(app, "amara.obi", "first-day-on-ward-12"))
        {
            var hughes = await AuditTrailContract.PatientIdAsync(app, "Hughes"); // Ward 12: her ward now
            Assert.Equal(HttpStatusCode.OK, (await amara.Http.GetAsync($"/patients/{hughes}")).StatusCode);
        }

        var id = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "amara.obi").Select(u => u.Id).SingleAsync());
        var disabled = await admin.PostFormAsync($"/admin/users/{id}", new()
            { ["DisplayName"] = "Amara Obi", ["Role"] = "Nurse", ["Disabled"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        using var again = new StaffBrowser(app.NewBrowserlessClient());
        Assert.Equal(HttpStatusCode.OK, (await again.SignInAsync("amara.obi", "first-day-on-ward-12")).StatusCode); // refused: form shown again
        Assert.Contains("disabled=True", (await app.WithDbAsync(db => db.AuditEntries.OrderByDescending(e => e.Sequence)
            .FirstAsync(e => e.Action == AuditAction.PermissionChange))).Reason, StringComparison.Ordinal);
    }
}
