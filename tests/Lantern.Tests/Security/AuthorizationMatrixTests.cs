using System.Net;
using System.Security.Claims;
using Lantern.Server.Demo;
using Lantern.Server.Security;
using Lantern.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lantern.Tests.Security;

/// <summary>
/// Discovers every endpoint of the running app (so endpoints added later are covered) and proves that each
/// names its policy, and that each role gets exactly the pages its activities allow: denied otherwise.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static readonly string[] AnonymousAllowed = ["/health/live", "/health/ready", "/login", "/login/two-factor", "/error", "/fhir/metadata", "/fhir/.well-known/smart-configuration", "/connect/token", "/connect/authorize"];

    /// <summary>The trust's baseline, written out independently of the server's table: activity → roles.</summary>
    private static readonly Dictionary<Activity, string[]> Expected = new()
    {
        [Activity.ViewDemographics] = ["clerk", "nurse", "doctor", "edclinician", "theatres", "pharmacist", "igauditor"],
        [Activity.RegisterPatient] = ["clerk", "edclinician"],
        [Activity.MergePatients] = ["clerk"],
        [Activity.ViewClinicalRecord] = ["nurse", "doctor", "edclinician", "theatres", "pharmacist"],
        [Activity.RecordObservations] = ["nurse", "doctor", "edclinician", "theatres"],
        [Activity.WriteClinicalNote] = ["nurse", "doctor", "edclinician", "theatres", "pharmacist"],
        [Activity.AdmitTransferDischarge] = ["clerk", "doctor", "edclinician"],
        [Activity.UpdateBedStatus] = ["clerk", "nurse", "admin"],
        [Activity.ManageWards] = ["admin"],
        [Activity.BreakGlass] = ["nurse", "doctor", "edclinician", "theatres", "pharmacist"],
        [Activity.ViewTrustDirectory] = ["clerk", "nurse", "doctor", "edclinician", "theatres", "pharmacist", "admin"],
        [Activity.ManageUsers] = ["admin"],
        [Activity.ManageInterfaces] = ["admin"],
        [Activity.ViewAudit] = ["igauditor"],
        [Activity.ReviewBreakGlass] = ["igauditor"],
    };

    private static readonly string[] OnePerRole = ["clerk", "nurse", "doctor", "edclinician", "theatres", "pharmacist", "admin", "igauditor"];

    [Fact]
    public void The_role_table_matches_the_trust_baseline()
    {
        foreach (var activity in Enum.GetValues<Activity>())
        {
            Assert.True(Expected.ContainsKey(activity), $"{activity} has no expected roles in this test");
            foreach (var account in DemoAccounts.All.Where(a => OnePerRole.Contains(a.UserName)))
            {
                Assert.True(Expected[activity].Contains(account.UserName) == RoleActivities.Grants(account.Role, activity),
                    $"{account.Role.Name} and {activity}");
            }
        }
    }

    [Fact]
    public async Task Every_endpoint_names_its_policy_and_only_the_reviewed_ones_are_anonymous()
    {
        await using var app = LanternApp.Sqlite();
        var endpoints = Endpoints(app);

        Assert.Equal(AnonymousAllowed.Order(), endpoints.Where(e => e.Anonymous).Select(e => e.Route).Distinct().Order());
        foreach (var endpoint in endpoints.Where(e => !e.Anonymous))
        {
            Assert.True(endpoint.Activity is not null || endpoint.AnySignedIn,
                $"{endpoint.Route} has no explicit policy: mark it [RequireActivity(...)] or [AnySignedInStaff]");
        }
    }

    [Fact]
    public async Task An_endpoint_that_names_no_policy_is_refused_even_to_signed_in_staff()
    {
        await using var app = LanternApp.Sqlite();
        _ = app.Server;
        var fallback = app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        var nurse = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "nurse"), new Claim(ClaimTypes.Role, "Nurse")], "cookie"));

        Assert.NotNull(fallback);
        var result = await app.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(nurse, fallback);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Each_role_gets_exactly_the_pages_its_activities_allow()
    {
        await using var app = LanternApp.Sqlite(new Dictionary<string, string?> { ["Lantern:SignInAttemptsPerMinute"] = "1000" });
        var patientId = await app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == "Smith").OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());
        var endpoints = Endpoints(app).Where(e => !e.Anonymous && e.Get).ToList();
        Assert.Contains(endpoints, e => e.Route == "/patients/{id:guid}");

        using var anonymous = app.NewBrowserlessClient();
        foreach (var endpoint in endpoints)
        {
            using var response = await anonymous.GetAsync(Path(endpoint.Route, patientId), HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized || RedirectPath(response) == "/login",
                $"{endpoint.Route} answered {(int)response.StatusCode} to an anonymous visitor");
        }

        foreach (var user in OnePerRole)
        {
            using var browser = await StaffBrowser.SignedInAsync(app, user);
            foreach (var endpoint in endpoints)
            {
                // Headers only: a live stream (server-sent events) never ends by itself.
                using var response = await browser.Http.GetAsync(Path(endpoint.Route, patientId), HttpCompletionOption.ResponseHeadersRead);
                var redirect = RedirectPath(response);
                // Past the role gate, a record-level refusal (no care relationship with this patient) is not a role denial.
                var relationshipRefusal = response.StatusCode == HttpStatusCode.Forbidden
                    && (await response.Content.ReadAsStringAsync()).Contains("no care relationship", StringComparison.Ordinal);
                var denied = (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized && !relationshipRefusal)
                    || redirect is "/access-denied" or "/login";
                var allowed = endpoint.AnySignedIn || Expected[endpoint.Activity!.Value].Contains(user);
                Assert.True(allowed != denied, $"{user} on {endpoint.Route}: expected {(allowed ? "allowed" : "denied")}, got {(int)response.StatusCode} {response.Headers.Location}");
                if (allowed && response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    Assert.Fail($"{user} on {endpoint.Route}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
    }

    private static string? RedirectPath(HttpResponseMessage response) =>
        response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { } location ? null
        : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];

    private sealed record Endpoint(string Route, bool Anonymous, bool AnySignedIn, Activity? Activity, bool Get);

    private static List<Endpoint> Endpoints(LanternApp app)
    {
        _ = app.Server; // builds the host so that endpoints exist
        return [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e =>
        {
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            var activity = e.Metadata.GetOrderedMetadata<RequireActivityAttribute>().Select(a => (Activity?)a.Activity).FirstOrDefault();
            var methods = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods;
            return new Endpoint("/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                policies.Contains(AnySignedInStaffAttribute.PolicyName), activity, methods is null || methods.Contains("GET"));
        }).DistinctBy(e => e.Route)];
    }

    private static string Path(string route, Guid patientId) => route
        .Replace("{code}", "W07", StringComparison.Ordinal)
        .Replace("{documentName}", "v1", StringComparison.Ordinal)
        .Replace("{label}", "A3", StringComparison.Ordinal)
        .Replace("/fhir/Patient/{id}", "/fhir/Patient/" + patientId, StringComparison.Ordinal)
        .Replace("{id:guid}", patientId.ToString(), StringComparison.Ordinal)
        .Replace("{id}", "new", StringComparison.Ordinal)
        .Replace("{spellId:int}", "1", StringComparison.Ordinal)
        .Replace("{id:int}", "1", StringComparison.Ordinal)
        .Replace("{id:long}", "1", StringComparison.Ordinal);
}
