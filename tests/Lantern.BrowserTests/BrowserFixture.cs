using Lantern.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Lantern.BrowserTests;

/// <summary>
/// The Lantern server on a real Kestrel port on 127.0.0.1 and Debian's Chromium driven by Playwright.
/// Chromium comes from CHROMIUM_PATH or /usr/bin/chromium; Playwright downloads no browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string? ChromiumPath =
        new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium" }.FirstOrDefault(File.Exists);

    private IPlaywright? playwright;

    public LanternApp App { get; } = LanternApp.Sqlite();
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(60_000);
        if (ChromiumPath is null)
        {
            return;
        }
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser session (own cookies) that can reach only this server.</summary>
    public async Task<IPage> NewPageAsync()
    {
        Assert.SkipWhen(ChromiumPath is null, "Chromium not found at CHROMIUM_PATH or /usr/bin/chromium (bash .ci/run installs it)");
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl, Locale = "en-GB", TimezoneId = "Europe/London" });
        // A minute, not Playwright's 30 s, for a page or an expected text: in CI the browser tests share two cores with
        // the other test assembly, and a page once took over 30 s to come while that one was at its busiest.
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.RouteAsync(url => !url.StartsWith(BaseUrl, StringComparison.Ordinal), route => route.AbortAsync());
        return page;
    }

    /// <summary>Screenshots go to artifacts/screenshots at the repository root, for people to look at.</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lantern.slnx")))
        {
            dir = dir.Parent;
        }
        var folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    public async ValueTask DisposeAsync()
    {
        if (playwright is not null)
        {
            await Browser.CloseAsync();
            playwright.Dispose();
        }
        await App.DisposeAsync();
    }
}
