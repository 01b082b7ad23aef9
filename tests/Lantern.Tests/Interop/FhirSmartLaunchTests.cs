using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Security.OAuth;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Tests.Interop;

/// <summary>
/// SMART app launch: a member of staff signs in and the demo app gets a token (authorization code + PKCE) that
/// can do only what both the person (role, care relationship) and the app's user/ scopes allow.
/// </summary>
public sealed class FhirSmartLaunchTests
{
    private const string Redirect = "http://127.0.0.1:8765/callback";

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string AuthorizeUrl(string scope, string challenge, string? launch = null) =>
        $"/connect/authorize?response_type=code&client_id={DemoIntegrationClients.SmartAppClientId}&redirect_uri={Uri.EscapeDataString(Redirect)}" +
        $"&scope={Uri.EscapeDataString(scope)}&state=abc123&code_challenge={challenge}&code_challenge_method=S256" +
        (launch is null ? "" : $"&launch={Uri.EscapeDataString(launch)}");

    /// <summary>The app's round: send the person to authorise, take the code from the redirect, exchange it with the verifier.</summary>
    private static async Task<HttpResponseMessage> LaunchAsync(LanternApp app, StaffBrowser person, string scope, bool wrongVerifier = false, string? launch = null)
    {
        var (verifier, challenge) = Pkce();
        var authorised = await person.Http.GetAsync(AuthorizeUrl(scope, challenge, launch));
        return await ExchangeAsync(app, authorised, wrongVerifier ? Pkce().Verifier : verifier);
    }

    /// <summary>The app's side of the redirect back from the authorisation: the code from it, exchanged with the verifier.</summary>
    private static async Task<HttpResponseMessage> ExchangeAsync(LanternApp app, HttpResponseMessage authorised, string verifier)
    {
        Assert.Equal(HttpStatusCode.Redirect, authorised.StatusCode);
        var callback = authorised.Headers.Location!;
        Assert.StartsWith(Redirect, callback.OriginalString, StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(callback.Query);
        Assert.Equal("abc123", query["state"]);
        using var appHttp = app.NewBrowserlessClient();
        return await appHttp.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"] ?? "", ["redirect_uri"] = Redirect,
            ["client_id"] = DemoIntegrationClients.SmartAppClientId, ["code_verifier"] = verifier,
        }));
    }

    private static async Task<HttpClient> AppAsync(LanternApp app, StaffBrowser person, string scope)
    {
        var token = await LaunchAsync(app, person, scope);
        Assert.True(token.StatusCode == HttpStatusCode.OK, await token.Content.ReadAsStringAsync());
        return AppClient(app, JsonNode.Parse(await token.Content.ReadAsStringAsync())!);
    }

    /// <summary>A token response that granted access and names <paramref name="patient"/> as the launch patient.</summary>
    private static async Task<JsonNode> GrantedOnAsync(HttpResponseMessage token, Guid patient)
    {
        var granted = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;
        Assert.True(token.StatusCode == HttpStatusCode.OK, granted.ToJsonString());
        Assert.Equal(patient.ToString(), granted["patient"]!.GetValue<string>());
        return granted;
    }

    /// <summary>The app's own client: no staff cookie, only the access token from <paramref name="tokenResponse"/>.</summary>
    private static HttpClient AppClient(LanternApp app, JsonNode tokenResponse)
    {
        var http = app.NewBrowserlessClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokenResponse["access_token"]!.GetValue<string>());
        return http;
    }

    private static Observation HeartRate(Guid patient) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
        Subject = new ResourceReference($"Patient/{patient}"),
        Value = new Quantity(72, "/min", "http://unitsofmeasure.org"),
    };

    private static Task<Guid> PatientAsync(LanternApp app, string familyName) =>
        app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == familyName).OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());

    /// <summary>Smith and Patel, both on Ward 7 (the nurse's ward), each with a heart rate recorded by a system.</summary>
    private static async Task<(Guid Smith, Guid Patel, Observation OnSmith, Observation OnPatel)> TwoOnWardSevenAsync(LanternApp app)
    {
        using var system = await FhirTestClients.SystemAsync(app);
        var (smith, patel) = (await PatientAsync(app, "Smith"), await PatientAsync(app, "Patel"));
        return (smith, patel, (await FhirTestClients.Fhir(system).CreateAsync(HeartRate(smith)))!, (await FhirTestClients.Fhir(system).CreateAsync(HeartRate(patel)))!);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_app_launched_by_a_nurse_gets_what_both_the_nurse_and_its_scopes_allow()
    {
        await using var app = LanternApp.Sqlite();
        using var system = await FhirTestClients.SystemAsync(app);
        var smith = await PatientAsync(app, "Smith"); // Ward 7
        var hughes = await PatientAsync(app, "Hughes"); // Ward 12
        var onWard7 = await FhirTestClients.Fhir(system).CreateAsync(HeartRate(smith));
        var onWard12 = await FhirTestClients.Fhir(system).CreateAsync(HeartRate(hughes));

        // Not signed in: the launch goes through Lantern's own sign-in and comes back.
        using var stranger = new StaffBrowser(app.NewBrowserlessClient());
        var unsignedIn = await stranger.Http.GetAsync(AuthorizeUrl("user/*.rs", Pkce().Challenge));
        Assert.Equal(HttpStatusCode.Redirect, unsignedIn.StatusCode);
        Assert.StartsWith("/login", unsignedIn.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse"); // Ward 7
        using var reader = await AppAsync(app, nurse, "user/*.rs");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/fhir/Observation/{onWard7!.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/fhir/Observation/{onWard12!.Id}")).StatusCode); // no care relationship
        var create = new StringContent(HeartRate(smith).ToJson(), Encoding.UTF8, FhirFormat.JsonType);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/fhir/Observation", create)).StatusCode); // the nurse may; the app's scope may not
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync($"/api/patients/{smith}")).StatusCode); // FHIR only, not the staff API

        using var writer = await AppAsync(app, nurse, "user/Observation.cruds");
        create = new StringContent(HeartRate(smith).ToJson(), Encoding.UTF8, FhirFormat.JsonType);
        Assert.Equal(HttpStatusCode.Created, (await writer.PostAsync("/fhir/Observation", create)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync($"/fhir/Patient/{smith}")).StatusCode); // no Patient scope

        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk"); // no clinical records, whatever the app asks for
        using var clerkApp = await AppAsync(app, clerk, "user/*.cruds");
        Assert.Equal(HttpStatusCode.OK, (await clerkApp.GetAsync($"/fhir/Patient/{smith}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerkApp.GetAsync($"/fhir/Observation/{onWard7.Id}")).StatusCode);

        // A leaver: once the account is disabled, the app's token (which outlives the session) stops working.
        await app.WithDbAsync(async db =>
        {
            var account = await db.Users.SingleAsync(u => u.UserName == "nurse");
            (account.LockoutEnabled, account.LockoutEnd) = (true, DateTimeOffset.MaxValue);
            return await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/fhir/Observation/{onWard7.Id}")).StatusCode);

        // Audited as the person, and the app's authorisation itself too.
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.PatientId == smith && e.UserName == "nurse" && e.RecordType == "Observation")));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.RecordType == "AppAuthorisation" && e.UserName == "clerk")));
    }

    [Fact]
    public async System.Threading.Tasks.Task An_app_opened_from_a_record_reaches_that_patient_only_and_stops_when_the_nurse_signs_out()
    {
        await using var app = LanternApp.Sqlite();
        var (smith, patel, onSmith, onPatel) = await TwoOnWardSevenAsync(app);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");

        // The record offers the app; opening it sends the browser to the app's launch URL with the FHIR base and a launch code.
        var record = await nurse.GetPageAsync($"/patients/{smith}");
        Assert.Contains("Open Demo SMART app", record.QuerySelector("[data-testid=launch-apps]")!.TextContent, StringComparison.Ordinal);
        var opened = await nurse.PostFormAsync($"/patients/{smith}", new() { ["app"] = DemoIntegrationClients.SmartAppClientId }, "Launch");
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var launchUrl = opened.Headers.Location!;
        Assert.StartsWith(DemoIntegrationClients.SmartAppLaunchUri.ToString(), launchUrl.ToString(), StringComparison.Ordinal);
        var launchQuery = HttpUtility.ParseQueryString(launchUrl.Query);
        Assert.EndsWith("/fhir", launchQuery["iss"], StringComparison.Ordinal);
        var launch = launchQuery["launch"]!;
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.RecordType == "AppLaunch" && e.PatientId == smith && e.UserName == "nurse")));

        // patient/ scopes need that launch, and only the person who opened the app may use it.
        var standalone = await nurse.Http.GetAsync(AuthorizeUrl("patient/Observation.rs", Pkce().Challenge));
        Assert.Contains("error=invalid_scope", standalone.Headers.Location!.Query, StringComparison.Ordinal);
        using var otherNurse = await StaffBrowser.SignedInAsync(app, "nurse2");
        var borrowed = await otherNurse.Http.GetAsync(AuthorizeUrl("launch patient/Observation.rs", Pkce().Challenge, launch));
        Assert.Contains("error=invalid_request", borrowed.Headers.Location!.Query, StringComparison.Ordinal);

        // The token response names the patient; the token reaches Smith's records and no one else's, though the nurse may see Patel's.
        var granted = await GrantedOnAsync(await LaunchAsync(app, nurse, "launch patient/Observation.rs patient/Patient.rs online_access", launch: launch), smith);
        using var patientApp = AppClient(app, granted);
        Assert.Equal(HttpStatusCode.OK, (await patientApp.GetAsync($"/fhir/Observation/{onSmith.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await patientApp.GetAsync($"/fhir/Patient/{smith}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patientApp.GetAsync($"/fhir/Observation/{onPatel.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patientApp.GetAsync($"/fhir/Patient/{patel}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patientApp.GetAsync($"/fhir/Observation?patient=Patient/{patel}")).StatusCode);
        async Task<IEnumerable<string>> FoundAsync(string family) =>
            new FhirJsonDeserializer().Deserialize<Bundle>(await patientApp.GetStringAsync($"/fhir/Patient?family={family}"))!.Entry.Select(e => e.Resource!.Id!);
        Assert.Equal([smith.ToString()], await FoundAsync("Smith"));
        Assert.Empty(await FoundAsync("Patel"));
        var create = new StringContent(HeartRate(smith).ToJson(), Encoding.UTF8, FhirFormat.JsonType);
        Assert.Equal(HttpStatusCode.Forbidden, (await patientApp.PostAsync("/fhir/Observation", create)).StatusCode); // read scopes only

        // online_access: a refresh token, working while the nurse stays signed in.
        using var appHttp = app.NewBrowserlessClient();
        async Task<HttpResponseMessage> RefreshAsync(string refreshToken) => await appHttp.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = DemoIntegrationClients.SmartAppClientId,
        }));
        var refreshed = await RefreshAsync(granted["refresh_token"]!.GetValue<string>());
        var renewed = JsonNode.Parse(await refreshed.Content.ReadAsStringAsync())!;
        Assert.True(refreshed.StatusCode == HttpStatusCode.OK, renewed.ToJsonString());
        Assert.Equal(smith.ToString(), renewed["patient"]!.GetValue<string>());
        using var renewedApp = AppClient(app, renewed);
        Assert.Equal(HttpStatusCode.OK, (await renewedApp.GetAsync($"/fhir/Observation/{onSmith.Id}")).StatusCode);

        // Signing out ends the app's access and refresh tokens at once.
        var home = await nurse.GetPageAsync("/");
        var signOutToken = home.QuerySelector("form[action='/logout'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.Redirect, (await nurse.PostAsync("/logout", [], signOutToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await renewedApp.GetAsync($"/fhir/Observation/{onSmith.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAsync(renewed["refresh_token"]!.GetValue<string>())).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_app_started_on_its_own_asks_the_nurse_to_choose_the_patient_and_reaches_that_patient_only()
    {
        await using var app = LanternApp.Sqlite();
        var (smith, patel, onSmith, onPatel) = await TwoOnWardSevenAsync(app);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");

        // Asking for launch/patient sends the nurse to choose the patient in Lantern, the app's request carried along.
        var (verifier, challenge) = Pkce();
        var asked = await nurse.Http.GetAsync(AuthorizeUrl("launch/patient patient/Observation.rs patient/Patient.rs", challenge));
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var picker = asked.Headers.Location!.OriginalString;
        Assert.StartsWith("/connect/patient?", picker, StringComparison.Ordinal);
        Assert.Contains("Choose the patient for Demo SMART app", (await nurse.GetPageAsync(picker)).QuerySelector("h1")!.TextContent, StringComparison.Ordinal);

        // Found as on the search page, with its error summary for a bad NHS number.
        var badNumber = await StaffBrowser.ParseAsync(await nurse.PostFormAsync(picker, new() { ["NhsNumber"] = "123" }));
        Assert.Contains(StaffBrowser.ErrorSummary(badNumber), e => e.Field == "NhsNumber");
        var found = await StaffBrowser.ParseAsync(await nurse.PostFormAsync(picker, new() { ["FamilyName"] = "Smith" }));
        var choice = found.QuerySelectorAll("[data-testid=choose-results] button[name=Chosen]").Select(b => b.GetAttribute("value")).ToList();
        Assert.Contains(smith.ToString(), choice);
        Assert.DoesNotContain(patel.ToString(), choice);

        // Choosing is audited as the app's launch and goes back to the authorisation with a launch code; the app gets its code.
        var chosen = await nurse.PostFormAsync(picker, new() { ["FamilyName"] = "Smith", ["Chosen"] = smith.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var back = chosen.Headers.Location!.OriginalString;
        Assert.StartsWith("/connect/authorize?", back, StringComparison.Ordinal);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.RecordType == "AppLaunch" && e.PatientId == smith && e.UserName == "nurse")));
        var granted = await GrantedOnAsync(await ExchangeAsync(app, await nurse.Http.GetAsync(back), verifier), smith);
        using var patientApp = AppClient(app, granted);
        Assert.Equal(HttpStatusCode.OK, (await patientApp.GetAsync($"/fhir/Observation/{onSmith.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patientApp.GetAsync($"/fhir/Observation/{onPatel.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patientApp.GetAsync($"/fhir/Patient/{patel}")).StatusCode);

        // A patient the nurse may not see cannot be chosen (a sealed record, as if its id were guessed); nor is an unknown app served.
        var sealedAway = await PatientAsync(app, "Patel");
        await app.WithDbAsync(async db => await db.Patients.Where(p => p.Id == sealedAway).ExecuteUpdateAsync(u => u.SetProperty(p => p.IsSensitive, true)));
        Assert.Equal(HttpStatusCode.NotFound, (await nurse.PostFormAsync(picker, new() { ["Chosen"] = sealedAway.ToString() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nurse.Http.GetAsync(picker.Replace(DemoIntegrationClients.SmartAppClientId, "no-such-app", StringComparison.Ordinal))).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_app_the_trust_registers_with_a_launch_URL_is_offered_on_patients_records()
    {
        await using var app = LanternApp.Sqlite();
        _ = app.Server;
        var (output, errors) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, await RegisterClientCommands.AppAsync(app.Services, ["growth-chart", "https://apps.example.nhs.uk/cb", "patient/Observation.rs", "--launch-uri"], output, errors));
        Assert.Equal(2, await RegisterClientCommands.AppAsync(app.Services, ["growth-chart", "https://apps.example.nhs.uk/cb", "system/*.rs"], output, errors));
        Assert.Contains("Usage: register-app", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await RegisterClientCommands.AppAsync(app.Services,
            ["growth-chart", "https://apps.example.nhs.uk/cb", "launch", "patient/Observation.rs", "--launch-uri", "https://apps.example.nhs.uk/launch"], output, errors));

        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var smith = await PatientAsync(app, "Smith");
        Assert.Contains("Open growth-chart", (await nurse.GetPageAsync($"/patients/{smith}")).QuerySelector("[data-testid=launch-apps]")!.TextContent, StringComparison.Ordinal);
        var opened = await nurse.PostFormAsync($"/patients/{smith}", new() { ["app"] = "growth-chart" }, "Launch");
        Assert.StartsWith("https://apps.example.nhs.uk/launch?iss=", opened.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await nurse.PostFormAsync($"/patients/{smith}", new() { ["app"] = "lantern-demo-integration" }, "Launch")).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_code_needs_its_verifier_and_the_app_may_ask_for_user_scopes_only()
    {
        await using var app = LanternApp.Sqlite();
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        Assert.Equal(HttpStatusCode.BadRequest, (await LaunchAsync(app, nurse, "user/*.rs", wrongVerifier: true)).StatusCode);

        var (_, challenge) = Pkce();
        var systemScope = await nurse.Http.GetAsync(AuthorizeUrl("system/*.cruds", challenge));
        var refusal = $"{(int)systemScope.StatusCode} {systemScope.Headers.Location} {await systemScope.Content.ReadAsStringAsync()}";
        // Refused by OpenIddict (the app is not registered for it) before Lantern's own user/-only check.
        Assert.True(systemScope.StatusCode == HttpStatusCode.BadRequest && refusal.Contains("invalid_request", StringComparison.Ordinal), refusal);
        var noPkce = await nurse.Http.GetAsync(AuthorizeUrl("user/*.rs", challenge).Split("&code_challenge=")[0]);
        Assert.DoesNotContain("code=", noPkce.Headers.Location?.Query ?? "", StringComparison.Ordinal);

        using var anonymous = app.NewBrowserlessClient();
        var smart = JsonNode.Parse(await anonymous.GetStringAsync("/fhir/.well-known/smart-configuration"))!;
        Assert.EndsWith("/connect/authorize", smart["authorization_endpoint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("S256", smart["code_challenge_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_system_administrator_sees_every_connected_system_and_app_with_its_scopes()
    {
        await using var app = LanternApp.Sqlite();
        using var admin = await StaffBrowser.SignedInAsync(app, "admin");
        var page = await admin.GetPageAsync("/admin/clients");
        var rows = page.QuerySelectorAll("[data-testid=connected-clients] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains(DemoIntegrationClients.IntegrationClientId, StringComparison.Ordinal) && r.Contains("system/*.cruds", StringComparison.Ordinal) && r.Contains("client credentials", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(DemoIntegrationClients.SmartAppClientId, StringComparison.Ordinal) && r.Contains("user/Observation.rs", StringComparison.Ordinal) && r.Contains(Redirect, StringComparison.Ordinal));
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var refused = await nurse.Http.GetAsync("/admin/clients");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var deniedAt = refused.Headers.Location!;
        Assert.Equal("/access-denied", deniedAt.IsAbsoluteUri ? deniedAt.AbsolutePath : deniedAt.OriginalString.Split('?')[0]);
    }
}
