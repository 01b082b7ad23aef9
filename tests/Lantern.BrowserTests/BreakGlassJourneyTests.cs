using System.Text.RegularExpressions;
using Lantern.Server.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lantern.BrowserTests;

public sealed class BreakGlassJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_nurse_breaks_the_glass_for_a_patient_on_another_ward_and_the_IG_officer_reviews_it()
    {
        var nurse = await browser.NewPageAsync();
        var cspViolations = new List<string>();
        nurse.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspViolations.Add(message.Text);
            }
        };
        await SignInAsync(nurse, "nurse");

        await nurse.GetByRole(AriaRole.Link, new() { Name = "Patients" }).First.ClickAsync();
        await nurse.GetByLabel("Family name").FillAsync("Hughes");
        await nurse.GetByLabel("Given name").FillAsync("Edith");
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        // The demo has an old duplicate registration of Mrs Hughes; hers with the earlier MRN is the inpatient.
        await nurse.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("HUGHES, Edith") }).First.ClickAsync();

        await Expect(nurse).ToHaveURLAsync(new Regex("/break-glass$"));
        await Expect(nurse.Locator("h1")).ToHaveTextAsync("You do not have a recorded relationship with this patient");
        await Expect(nurse.Locator("[data-testid=patient-banner]")).ToContainTextAsync("HUGHES");

        var breakGlass = nurse.GetByRole(AriaRole.Button, new() { Name = "Break the glass and view the record" });
        await breakGlass.ClickAsync();
        var summary = nurse.Locator(".nhsuk-error-summary");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary).ToContainTextAsync("Select why you need to see this record");

        await nurse.GetByLabel("Covering for a colleague (on call, handover)").CheckAsync();
        await nurse.GetByLabel("Give details").FillAsync("Night cover for Ward 12, patient's NEWS2 rising");
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Break the glass and view the record" }).ClickAsync();

        await Expect(nurse.Locator("[data-testid=break-glass-notice]")).ToContainTextAsync("Night cover for Ward 12");
        await Expect(nurse.Locator("h1")).ToHaveTextAsync("Patient record");
        await nurse.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("break-glass-record"), FullPage = true });
        Assert.Empty(cspViolations);

        var ig = await browser.NewPageAsync();
        await SignInAsync(ig, "igauditor");
        await ig.GetByRole(AriaRole.Link, new() { Name = "Audit" }).First.ClickAsync();
        await ig.GetByRole(AriaRole.Link, new() { Name = "Break-glass review queue" }).ClickAsync();
        var card = ig.Locator(".nhsuk-card").Filter(new() { HasText = "HUGHES, Edith" });
        await Expect(card).ToContainTextAsync("nurse (Nurse)");
        await Expect(card).ToContainTextAsync("Night cover for Ward 12");
        await ig.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("break-glass-review-queue"), FullPage = true });

        await card.GetByLabel("Appropriate", new() { Exact = true }).CheckAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Record review" }).ClickAsync();
        await Expect(ig.Locator("[data-testid=waiting-count]")).ToContainTextAsync("0 accesses are waiting");
        await Expect(ig.Locator("table")).ToContainTextAsync("Appropriate");
    }

    private static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("[data-testid=signed-in-user]")).ToBeVisibleAsync();
    }
}
