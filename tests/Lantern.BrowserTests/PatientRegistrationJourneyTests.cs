using System.Text.RegularExpressions;
using Lantern.Server.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lantern.BrowserTests;

public sealed class PatientRegistrationJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_clerk_registers_a_near_twin_after_the_duplicate_warning_then_finds_and_opens_the_original()
    {
        var clerk = await browser.NewPageAsync();
        var cspViolations = new List<string>();
        clerk.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspViolations.Add(message.Text);
            }
        };
        await clerk.GotoAsync("/login");
        await clerk.GetByLabel("Username").FillAsync("clerk");
        await clerk.GetByLabel("Password").FillAsync(DemoAccounts.Password);
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await clerk.GetByRole(AriaRole.Link, new() { Name = "Register a patient" }).First.ClickAsync();
        await clerk.GetByLabel("Given name", new() { Exact = true }).FillAsync("Jon");
        await clerk.GetByLabel("Family name", new() { Exact = true }).FillAsync("Smyth");
        await clerk.Locator("#BirthDate").FillAsync("12");
        await clerk.Locator("#BirthDateMonth").FillAsync("3");
        await clerk.Locator("#BirthDateYear").FillAsync("1956");
        await clerk.GetByLabel("Male", new() { Exact = true }).CheckAsync();
        await clerk.GetByLabel("Address line 1").FillAsync("7 Station Road");
        await clerk.GetByLabel("Town or city").FillAsync("Leeds");
        await clerk.GetByLabel("Postcode").FillAsync("ls6 2ab");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Register patient" }).ClickAsync();

        var warning = clerk.Locator("[data-testid=duplicate-warning]");
        await Expect(warning).ToContainTextAsync("This patient may already be registered");
        await Expect(warning).ToContainTextAsync("SMITH, John");
        await Expect(clerk.GetByLabel("Family name", new() { Exact = true })).ToHaveValueAsync("Smyth");
        await clerk.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("registration-duplicate-warning"), FullPage = true });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "None of these is the patient: register as new" }).ClickAsync();

        var banner = clerk.Locator("[data-testid=patient-banner]");
        await Expect(banner).ToContainTextAsync("SMYTH, Jon");
        await Expect(banner).ToContainTextAsync("12-Mar-1956 (70y)");
        await Expect(clerk.Locator("[data-testid=confirmation]")).ToContainTextAsync("Patient registered with hospital number RZZ");

        await clerk.GetByRole(AriaRole.Link, new() { Name = "Patients", Exact = true }).ClickAsync();
        await clerk.GetByLabel("Family name").FillAsync("smyth");
        await clerk.Locator("#BirthDateYear").FillAsync("1956");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var results = clerk.Locator("[data-testid=search-results]");
        await Expect(results).ToContainTextAsync("SMYTH, Jon");
        await clerk.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^SMITH, John") }).ClickAsync();

        await Expect(banner).ToContainTextAsync("SMITH, John (Mr)");
        await Expect(banner).ToContainTextAsync(new Regex(@"NHS No\.\s*999 \d{3} \d{4}"));
        await Expect(banner).ToContainTextAsync("MRN");
        await clerk.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("patient-record-banner"), FullPage = true });
        Assert.Empty(cspViolations);
    }
}
