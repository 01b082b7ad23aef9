using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hl7.Fhir.Rest;
using Lantern.Server.Security.OAuth;
using Lantern.Tests.Support;

namespace Lantern.Tests.Interop;

/// <summary>How the FHIR tests call Lantern: as a registered system with a token, through Firely's own FhirClient.</summary>
internal static class FhirTestClients
{
    public static async Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string clientId, string secret, string scope) =>
        await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));

    /// <summary>An HTTP client carrying an access token for a demo system (by default the integration engine with system/*.cruds).</summary>
    public static async Task<HttpClient> SystemAsync(LanternApp app, string clientId = DemoIntegrationClients.IntegrationClientId, string scope = "system/*.cruds")
    {
        var http = app.NewBrowserlessClient();
        var response = await RequestTokenAsync(http, clientId, DemoIntegrationClients.Secret, scope);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>());
        return http;
    }

    public static FhirClient Fhir(HttpClient http) =>
        new(new Uri(http.BaseAddress!, "fhir/"), http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });
}
