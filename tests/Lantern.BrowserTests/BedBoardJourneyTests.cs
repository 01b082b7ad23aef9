using Lantern.Server.Demo;
using Lantern.Server.Inpatients;
using Lantern.Server.Inpatients.Expected;
using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lantern.BrowserTests;

public sealed class BedBoardJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admission_by_the_clerk_appears_on_the_nurses_open_bed_board_within_two_seconds_without_a_reload()
    {
        var nurse = await browser.NewPageAsync();
        var clerk = await browser.NewPageAsync();
        var cspViolations = new List<string>();
        foreach (var page in new[] { nurse, clerk })
        {
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                {
                    cspViolations.Add(message.Text);
                }
            };
        }
        // A registered patient who is not in hospital, and not a sealed record.
        var patient = await browser.App.WithDbAsync(db => db.Patients
            .Where(p => !p.IsSensitive && p.MergedIntoId == null && p.DateOfDeath == null && p.Gender == Gender.Male)
            .Where(p => !db.Spells.Where(Spell.Current).Any(s => s.PatientId == p.Id))
            .OrderBy(p => p.Mrn).Select(p => new { p.Mrn, p.FamilyName, p.GivenName }).FirstAsync());

        await SignInAsync(nurse, "nurse");
        await nurse.GotoAsync("/wards/W07");
        var board = nurse.Locator("[data-bed-board]");
        await Expect(board).ToHaveAttributeAsync("data-live", "true");
        await Expect(nurse.Locator("[data-testid=board-live]")).ToHaveTextAsync("Updates by itself when anyone admits, transfers or discharges on this ward.");
        await Expect(nurse.Locator("[data-testid='bed-A3']")).ToContainTextAsync("Free");
        // Marks this page load: a reload would lose it.
        await nurse.EvaluateAsync("() => { window.lanternSamePage = true; }");

        await SignInAsync(clerk, "clerk");
        await clerk.GotoAsync("/wards/W07");
        await clerk.GetByRole(AriaRole.Link, new() { Name = "Admit a patient here (bed A3)" }).ClickAsync();
        await clerk.GetByLabel("Hospital number or NHS number").FillAsync(patient.Mrn);
        await clerk.GetByLabel("Consultant team").SelectOptionAsync(new SelectOptionValue { Label = "Cardiology - Dr Bennett" });
        await clerk.GetByLabel("Admission method").SelectOptionAsync("21");
        await clerk.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("admit-form"), FullPage = true });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Admit patient" }).ClickAsync();
        await Expect(clerk.Locator("[data-testid='bed-A3']")).ToContainTextAsync(patient.FamilyName.ToUpperInvariant());

        await Expect(nurse.Locator("[data-testid='bed-A3']")).ToContainTextAsync($"{patient.FamilyName.ToUpperInvariant()}, {patient.GivenName}", new() { Timeout = 2000 });
        Assert.True(await nurse.EvaluateAsync<bool>("() => window.lanternSamePage === true"), "the nurse's bed board reloaded instead of updating in place");
        await nurse.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("bed-board-live-update"), FullPage = true });
        // The clerk opens the admission and its page of moves.
        await clerk.Locator("[data-testid='bed-A3'] a").First.ClickAsync();
        await Expect(clerk.Locator("[data-testid=ward-stays]")).ToContainTextAsync("W07");
        await clerk.GetByRole(AriaRole.Link, new() { Name = "Transfer, change consultant, discharge or correct" }).ClickAsync();
        await Expect(clerk.Locator("[data-testid=transfer-form]")).ToBeVisibleAsync();
        await clerk.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("move-patient"), FullPage = true });
        Assert.Empty(cspViolations);
    }

    [Fact]
    public async Task A_clerk_admits_an_expected_patient_from_the_ward_s_list_and_the_list_no_longer_shows_them()
    {
        // The demo trust expects two patients on Ward 12; the sooner one has no consultant team yet.
        var expected = await browser.App.WithDbAsync(db => db.ExpectedAdmissions
            .Where(e => e.Ward!.Code == "W12" && e.Status == ExpectedAdmissionStatus.Expected)
            .OrderBy(e => e.ExpectedAt).Select(e => new { e.Id, e.Patient!.FamilyName, e.Patient.Gender }).FirstAsync());
        var bays = expected.Gender == Gender.Male ? SexOfBay.Male : SexOfBay.Female;
        var bed = await browser.App.WithDbAsync(db => db.Beds
            .Where(b => db.Wards.Any(w => w.Id == b.WardId && w.Code == "W12") && b.Status == BedStatus.Available)
            .Where(b => b.Bay == null || b.Bay.Sex == bays || b.Bay.Sex == SexOfBay.Mixed)
            .OrderBy(b => b.Bay == null).ThenBy(b => b.Label).Select(b => b.Label).FirstAsync());
        var clerk = await browser.NewPageAsync();
        await SignInAsync(clerk, "clerk");

        await clerk.GotoAsync("/wards/W12");
        var coming = clerk.Locator($"[data-testid=expected-{expected.Id}]");
        await Expect(coming).ToContainTextAsync(expected.FamilyName.ToUpperInvariant());
        await clerk.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("expected-admissions"), FullPage = true });
        await coming.GetByRole(AriaRole.Link, new() { Name = "Admit the expected patient" }).ClickAsync();
        await Expect(clerk.Locator("[data-testid=admitting-expected]")).ToBeVisibleAsync();
        await Expect(clerk.GetByLabel("Admission method")).ToHaveValueAsync("22"); // as planned: emergency via GP
        await clerk.GetByLabel("Bed", new() { Exact = true }).SelectOptionAsync(bed);
        await clerk.GetByLabel("Consultant team").SelectOptionAsync(new SelectOptionValue { Label = "Geriatric Medicine - Dr Holloway" });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Admit patient" }).ClickAsync();

        await Expect(clerk.Locator($"[data-testid='bed-{bed}']")).ToContainTextAsync(expected.FamilyName.ToUpperInvariant());
        await Expect(clerk.Locator($"[data-testid=expected-{expected.Id}]")).ToHaveCountAsync(0);
        Assert.Equal(ExpectedAdmissionStatus.Admitted,
            await browser.App.WithDbAsync(db => db.ExpectedAdmissions.Where(e => e.Id == expected.Id).Select(e => e.Status).SingleAsync()));
    }

    private static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));
    }
}
