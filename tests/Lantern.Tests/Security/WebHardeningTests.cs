using System.Net;
using Lantern.Tests.Support;

namespace Lantern.Tests.Security;

public sealed class WebHardeningTests
{
    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy_and_anti_framing_headers()
    {
        await using var app = LanternApp.Sqlite();
        using var http = app.NewBrowserlessClient();

        var response = await http.GetAsync("/login");

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html); // no inline scripts for the CSP to refuse
        Assert.DoesNotContain(" style=\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_get_429()
    {
        await using var app = LanternApp.Sqlite(new Dictionary<string, string?> { ["Lantern:SignInAttemptsPerMinute"] = "3" });
        using var browser = new StaffBrowser(app.NewBrowserlessClient());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await browser.SignInAsync("nurse", "wrong-password-" + i)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        await using var app = LanternApp.Sqlite();
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");

        var response = await nurse.Http.PostAsync("/patients", new FormUrlEncodedContent(new Dictionary<string, string> { ["Query"] = "Smith" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
