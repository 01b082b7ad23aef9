using System.Net;
using Lantern.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Tests.Platform;

/// <summary>Every endpoint needs a signed-in user unless it is on this short, reviewed list.</summary>
public sealed class DenyByDefaultTests
{
    private static readonly string[] AnonymousAllowed = ["/health/live", "/health/ready", "/login", "/login/two-factor", "/error"];

    [Fact]
    public async Task Only_the_reviewed_endpoints_allow_anonymous_access()
    {
        await using var app = LanternApp.Sqlite();
        var anonymous = Routes(app).Where(r => r.Anonymous).Select(r => r.Pattern).Order().ToArray();

        Assert.Equal(AnonymousAllowed.Order(), anonymous);
    }

    [Fact]
    public async Task Every_other_page_sends_an_anonymous_visitor_to_sign_in()
    {
        await using var app = LanternApp.Sqlite();
        using var http = app.NewBrowserlessClient();
        var protectedRoutes = Routes(app).Where(r => !r.Anonymous).Select(r => r.Pattern.Replace("{code}", "W07", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(protectedRoutes);

        foreach (var route in protectedRoutes)
        {
            var response = await http.GetAsync(route);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.AbsolutePath == "/login",
                $"{route} answered {(int)response.StatusCode} to an anonymous visitor");
        }
    }

    private static IEnumerable<(string Pattern, bool Anonymous)> Routes(LanternApp app)
    {
        _ = app.Server; // builds the host so that endpoints exist
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => ("/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<IAllowAnonymous>() is not null))
            .Distinct();
    }
}
