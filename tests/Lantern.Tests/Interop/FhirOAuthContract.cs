using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.OAuth;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using FhirPatient = Hl7.Fhir.Model.Patient;

namespace Lantern.Tests.Interop;

/// <summary>Registered systems: client credentials tokens and SMART scopes on the FHIR API, on each database engine.</summary>
public abstract class FhirOAuthContract(StorageProvider provider)
{
    private static FhirPatient NewPatient() => new()
    {
        Name = [new HumanName { Use = HumanName.NameUse.Official, Family = "Ashworth", Given = ["Tobias"] }],
        Gender = AdministrativeGender.Male,
        BirthDate = "1990-06-01",
        Address = [new Address { Line = ["1 Canal Street"], City = "Todmorden", PostalCode = "OL14 5AA" }],
    };

    [Fact]
    public async System.Threading.Tasks.Task A_system_with_a_client_credentials_token_creates_reads_searches_and_updates_a_patient()
    {
        await using var app = LanternApp.On(provider);
        using var http = await FhirTestClients.SystemAsync(app, DemoIntegrationClients.IntegrationClientId, "system/Patient.cruds");
        using var fhir = FhirTestClients.Fhir(http);

        var created = await fhir.CreateAsync(NewPatient());
        var read = await fhir.ReadAsync<FhirPatient>($"Patient/{created!.Id}");
        Assert.Equal("Ashworth", read!.Name[0].Family);
        var found = await fhir.SearchAsync<FhirPatient>(["family=ashw", "birthdate=1990"]);
        Assert.Contains(found!.Entry, e => e.Resource!.Id == created.Id);
        read.BirthDate = "1990-06-02";
        Assert.Equal("1990-06-02", (await fhir.UpdateAsync(read, versionAware: true))!.BirthDate);

        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.PatientId == Guid.Parse(created.Id!)).Select(e => new { e.UserName, e.Role }).ToListAsync());
        Assert.NotEmpty(audit);
        Assert.All(audit, e => Assert.Equal(("system:" + DemoIntegrationClients.IntegrationClientId, TokenEndpoint.SystemRole), (e.UserName, e.Role)));
    }

    [Fact]
    public async System.Threading.Tasks.Task Without_a_token_401_and_with_a_token_lacking_the_scope_403()
    {
        await using var app = LanternApp.On(provider);
        using var anonymous = app.NewBrowserlessClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/fhir/Patient?family=smith")).StatusCode);

        using var reader = await FhirTestClients.SystemAsync(app, DemoIntegrationClients.ReadOnlyClientId, "system/Patient.rs");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/fhir/Patient?family=smith")).StatusCode);
        var refused = await Assert.ThrowsAsync<FhirOperationException>(() => FhirTestClients.Fhir(reader).CreateAsync(NewPatient()));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Patients.CountAsync(p => p.FamilyName == "Ashworth")));

        // A token opens the FHIR API only: not the pages, not the staff JSON API.
        Assert.NotEqual(HttpStatusCode.OK, (await reader.GetAsync("/api/wards")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await reader.GetAsync("/patients")).StatusCode);
        using var garbage = app.NewBrowserlessClient();
        garbage.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/fhir/Patient?family=smith")).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_trust_registers_its_own_system_which_then_gets_tokens_for_its_scopes_only()
    {
        await using var app = LanternApp.On(provider);
        _ = app.Server;
        var output = new StringWriter();
        var errors = new StringWriter();
        Assert.Equal(2, await RegisterClientCommands.SystemAsync(app.Services, ["gp-connect", "patient/Patient.rs"], output, errors));
        Assert.Contains("Usage: register-system", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await RegisterClientCommands.SystemAsync(app.Services, ["gp-connect", "system/Patient.rs"], output, errors));
        var secret = output.ToString().Split("keep it safe): ")[1].Trim();
        Assert.Equal(1, await RegisterClientCommands.SystemAsync(app.Services, ["gp-connect", "system/Patient.rs"], output, errors));

        using var http = app.NewBrowserlessClient();
        Assert.Equal(HttpStatusCode.OK, (await FhirTestClients.RequestTokenAsync(http, "gp-connect", secret, "system/Patient.rs")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await FhirTestClients.RequestTokenAsync(http, "gp-connect", secret, "system/Patient.c")).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.RecordType == "SystemClient" && e.RecordId == "gp-connect")));
    }

    [Fact]
    public async System.Threading.Tasks.Task Tokens_are_refused_for_a_wrong_secret_or_a_scope_the_system_is_not_registered_for()
    {
        await using var app = LanternApp.On(provider);
        using var http = app.NewBrowserlessClient();
        var wrongSecret = await FhirTestClients.RequestTokenAsync(http, DemoIntegrationClients.IntegrationClientId, "not-the-secret", "system/Patient.rs");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        var tooMuch = await FhirTestClients.RequestTokenAsync(http, DemoIntegrationClients.ReadOnlyClientId, DemoIntegrationClients.Secret, "system/Patient.cruds");
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Contains("not allowed to use the specified scope", await tooMuch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class SqliteFhirOAuthTests() : FhirOAuthContract(StorageProvider.Sqlite);

public sealed class PostgresFhirOAuthTests() : FhirOAuthContract(StorageProvider.Postgres);
