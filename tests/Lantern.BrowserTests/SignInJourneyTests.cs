using Lantern.Server.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lantern.BrowserTests;

public sealed class SignInJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Demo_nurse_signs_in_and_sees_the_dashboard()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await Expect(page.Locator("[data-testid=trust-name]")).ToHaveTextAsync("Lantern Demo NHS Foundation Trust");
        await page.GetByLabel("Username").FillAsync("nurse");
        await page.GetByLabel("Password").FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.Locator("[data-testid=dashboard-heading]")).ToContainTextAsync("Sarah Jones");
        await Expect(page.Locator("[data-testid=signed-in-user]")).ToContainTextAsync("Sarah Jones (Nurse)");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" })).ToContainTextAsync("Trust directory");
        // nhsuk-frontend's scripts ran (module import worked, no inline script needed).
        await Expect(page.Locator("body")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("nhsuk-frontend-supported"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("dashboard-nurse"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Trust directory" }).First.ClickAsync();
        await Expect(page.Locator("[data-testid=ward-table]")).ToContainTextAsync("Ward 7 (Cardiology)");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Wrong_password_shows_a_focused_error_summary_that_links_to_the_field()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync("nurse");
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var summary = page.Locator(".nhsuk-error-summary");
        await Expect(summary).ToContainTextAsync("There is a problem");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("login-error"), FullPage = true });

        await summary.GetByRole(AriaRole.Link, new() { Name = "The username or password is not correct" }).ClickAsync();
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
    }
}
