using System.Net;
using Lantern.Tests.Support;

namespace Lantern.Tests.Account;

public sealed class IdleTimeoutTests
{
    [Fact]
    public async Task Session_ends_after_fifteen_idle_minutes_by_default()
    {
        await using var app = LanternApp.Sqlite();
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");

        app.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await nurse.Http.GetAsync("/")).StatusCode);

        // Activity slides the window: 14 more idle minutes are still within it...
        app.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await nurse.Http.GetAsync("/")).StatusCode);

        // ...but 16 idle minutes are not.
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        var expired = await nurse.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.StartsWith("/login", expired.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_timeout_is_configurable()
    {
        await using var app = LanternApp.Sqlite(new Dictionary<string, string?> { ["Lantern:IdleTimeoutMinutes"] = "5" });
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");

        app.Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(HttpStatusCode.Redirect, (await nurse.Http.GetAsync("/")).StatusCode);
    }
}
