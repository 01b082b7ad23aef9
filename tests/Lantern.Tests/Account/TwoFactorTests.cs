using System.Net;
using Lantern.Server.Demo;
using Lantern.Tests.Support;
using OtpNet;

namespace Lantern.Tests.Account;

public sealed class TwoFactorTests
{
    [Fact]
    public async Task Staff_member_turns_on_an_authenticator_app_and_then_needs_its_code_to_sign_in()
    {
        await using var app = LanternApp.Sqlite();
        using var doctor = await StaffBrowser.SignedInAsync(app, "doctor");
        var setup = await doctor.GetPageAsync("/account/two-factor");
        var key = setup.QuerySelector("[data-testid=shared-key]")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var totp = new Totp(Base32Encoding.ToBytes(key));

        var wrong = await doctor.PostFormAsync("/account/two-factor", new() { ["Code"] = "000000" }, handler: "Enable");
        Assert.Equal("Code", Assert.Single(StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(wrong))).Field);

        var enable = await doctor.PostFormAsync("/account/two-factor",
            new() { ["Code"] = totp.ComputeTotp() }, handler: "Enable");
        Assert.Equal("/account", enable.Headers.Location?.OriginalString);
        Assert.StartsWith("On", (await doctor.GetPageAsync("/account")).QuerySelector("[data-testid=two-factor-status]")!.TextContent, StringComparison.Ordinal);

        using var later = new StaffBrowser(app.NewBrowserlessClient());
        var password = await later.SignInAsync("doctor", DemoAccounts.Password);
        Assert.StartsWith("/login/two-factor", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await later.Http.GetAsync("/")).StatusCode);

        var badCode = await later.PostFormAsync("/login/two-factor", new() { ["Code"] = "123 45" });
        Assert.Equal("Enter the 6-digit security code from your authenticator app",
            Assert.Single(StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(badCode))).Message);

        // Identity checks codes against the system clock (RFC 6238, 30-second steps).
        var code = totp.ComputeTotp();
        var second = await later.PostFormAsync("/login/two-factor", new() { ["Code"] = $"{code[..3]} {code[3..]}" });
        Assert.Equal("/", second.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await later.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Two_factor_page_without_a_pending_sign_in_goes_back_to_sign_in()
    {
        await using var app = LanternApp.Sqlite();
        using var browser = new StaffBrowser(app.NewBrowserlessClient());

        var response = await browser.Http.GetAsync("/login/two-factor");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location?.OriginalString);
    }
}
