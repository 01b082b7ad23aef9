using System.Net;
using Lantern.Server.Demo;
using Lantern.Tests.Support;

namespace Lantern.Tests.Account;

public sealed class SignInTests : IAsyncLifetime
{
    private readonly LanternApp app = LanternApp.Sqlite();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task Login_page_renders_an_accessible_form_with_the_trust_name()
    {
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        var page = await browser.GetPageAsync("/login");

        Assert.Equal("Lantern Demo NHS Foundation Trust", page.QuerySelector("[data-testid=trust-name]")?.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("label[for=Username]"));
        Assert.NotNull(page.QuerySelector("label[for=Password]"));
        Assert.Equal("password", page.QuerySelector("input#Password")?.GetAttribute("type"));
        Assert.NotNull(page.QuerySelector("form input[name=__RequestVerificationToken]"));
        Assert.Null(page.QuerySelector("[data-testid=signed-in-user]"));
    }

    [Fact]
    public async Task Demo_nurse_signs_in_and_sees_her_dashboard_with_name_and_role()
    {
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var home = await nurse.GetPageAsync("/");

        Assert.Contains("Sarah Jones", home.QuerySelector("[data-testid=dashboard-heading]")!.TextContent);
        Assert.Equal("Nurse", home.QuerySelector("[data-testid=dashboard-role]")!.TextContent.Trim());
        Assert.Contains("Sarah Jones (Nurse)", home.QuerySelector("[data-testid=signed-in-user]")!.TextContent);
        Assert.Contains("Ward 7 (Cardiology)", home.QuerySelector("[data-testid=staff-assignments]")!.TextContent);
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_summary_linked_to_the_password_field()
    {
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        var response = await browser.SignInAsync("nurse", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await StaffBrowser.ParseAsync(response);
        Assert.Equal([("Password", "The username or password is not correct")], StaffBrowser.ErrorSummary(page));
        Assert.StartsWith("Error: ", page.Title);
        Assert.Contains("nhsuk-input--error", page.QuerySelector("#Password")!.ClassName);
    }

    [Fact]
    public async Task Empty_form_names_both_missing_fields()
    {
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        var response = await browser.SignInAsync("", "");

        var errors = StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(response));
        Assert.Equal([("Username", "Enter your username"), ("Password", "Enter your password")], errors);
    }

    [Fact]
    public async Task Unknown_user_gets_the_same_message_as_a_wrong_password()
    {
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        var response = await browser.SignInAsync("nobody", DemoAccounts.Password);

        Assert.Equal([("Password", "The username or password is not correct")],
            StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(response)));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_password()
    {
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(await browser.SignInAsync("doctor", $"guess-{attempt}")));
            Assert.Equal("The username or password is not correct", Assert.Single(wrong).Message);
        }

        var fifth = StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(await browser.SignInAsync("doctor", "guess-5")));
        Assert.Contains("locked", Assert.Single(fifth).Message, StringComparison.Ordinal);

        var right = await browser.SignInAsync("doctor", DemoAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", Assert.Single(StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(right))).Message, StringComparison.Ordinal);

        // Only that account is locked.
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
    }

    [Fact]
    public async Task Pages_redirect_anonymous_visitors_to_sign_in_and_back()
    {
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        var response = await browser.Http.GetAsync("/trust");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Ftrust", response.Headers.Location?.PathAndQuery);

        var signIn = await browser.PostFormAsync("/login?ReturnUrl=%2Ftrust",
            new() { ["Username"] = "nurse", ["Password"] = DemoAccounts.Password, ["ReturnUrl"] = "/trust" });
        Assert.Equal("/trust", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Sign_in_refuses_to_return_to_another_site()
    {
        using var browser = new StaffBrowser(app.NewBrowserlessClient());
        var signIn = await browser.PostFormAsync("/login",
            new() { ["Username"] = "nurse", ["Password"] = DemoAccounts.Password, ["ReturnUrl"] = "//evil.example/phish" });

        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var home = await nurse.GetPageAsync("/");
        var token = home.QuerySelector("form[action='/logout'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var signOut = await nurse.PostAsync("/logout", [], token);
        Assert.Equal("/login?SignedOut=True", signOut.Headers.Location?.OriginalString);

        var after = await nurse.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_without_an_antiforgery_token_is_refused()
    {
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var forged = await nurse.Http.PostAsync("/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nurse.Http.GetAsync("/")).StatusCode);
    }
}
