using System.Net;
using System.Text.Json.Nodes;
using Lantern.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Tests.Platform;

public sealed class ApiDocumentationTests
{
    [Fact]
    public async Task Every_JSON_API_endpoint_is_in_the_OpenAPI_document_with_a_summary_and_its_activity()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var response = await clerk.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject();

        var api = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Method: m)))
            .ToList();
        Assert.Contains(api, e => e.Path == "/api/inpatients/admissions");
        foreach (var (path, method) in api)
        {
            var documented = path.Replace(":guid", "", StringComparison.Ordinal).Replace(":int", "", StringComparison.Ordinal).TrimEnd('/');
            var operation = paths[documented]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");
            Assert.False(string.IsNullOrWhiteSpace(operation!["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
            Assert.Contains("Needs the activity", operation["description"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
        }
        Assert.NotNull(paths["/api/inpatients/admissions"]!["post"]!["responses"]!["400"]);
        Assert.DoesNotContain(paths, p => !p.Key.StartsWith("/api/", StringComparison.Ordinal));

        using var anonymous = app.NewBrowserlessClient();
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
    }
}
