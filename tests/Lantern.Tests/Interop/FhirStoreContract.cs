using System.Net.Http.Json;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.OAuth;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Tests.Interop;

/// <summary>Clinical resources in the FHIR store: versions, search, and who may see them, on each database engine.</summary>
public abstract class FhirStoreContract(StorageProvider provider)
{
    private static Task<Guid> PatientAsync(LanternApp app, string family) =>
        app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == family).OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());

    private static Observation HeartRate(Guid patient, int beats) => new()
    {
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")],
        Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
        Subject = new ResourceReference($"Patient/{patient}"),
        Effective = new FhirDateTime("2026-11-25T08:15:00Z"),
        Value = new Quantity(beats, "/min", "http://unitsofmeasure.org"),
    };

    [Fact]
    public async System.Threading.Tasks.Task A_system_stores_an_observation_with_versions_history_and_search()
    {
        await using var app = LanternApp.On(provider);
        using var http = await FhirTestClients.SystemAsync(app);
        using var fhir = FhirTestClients.Fhir(http);
        var smith = await PatientAsync(app, "Smith");

        var created = await fhir.CreateAsync(HeartRate(smith, 72));
        Assert.Equal("1", created!.Meta!.VersionId);
        ((Quantity)created.Value!).Value = 80;
        var updated = await fhir.UpdateAsync(created, versionAware: true);
        Assert.Equal("2", updated!.Meta!.VersionId);
        Assert.Equal(72m, ((Quantity)(await fhir.ReadAsync<Observation>($"Observation/{created.Id}/_history/1"))!.Value!).Value);
        Assert.Equal(80m, ((Quantity)(await fhir.ReadAsync<Observation>($"Observation/{created.Id}"))!.Value!).Value);
        var history = await fhir.HistoryAsync($"Observation/{created.Id}");
        Assert.Equal(["2", "1"], history!.Entry.Select(e => e.Resource!.Meta!.VersionId));
        var stale = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.UpdateAsync(created, versionAware: true));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);

        async Task<int> CountAsync(params string[] criteria) => (await fhir.SearchAsync<Observation>([$"patient=Patient/{smith}", .. criteria]))!.Entry.Count;
        Assert.Equal(1, await CountAsync());
        Assert.Equal(1, await CountAsync("code=http://loinc.org|8867-4"));
        Assert.Equal(0, await CountAsync("code=http://snomed.info/sct|8867-4"));
        Assert.Equal(1, await CountAsync("category=vital-signs"));
        Assert.Equal(1, await CountAsync("date=ge2026-11-25", "date=lt2026-11-26"));
        Assert.Equal(1, await CountAsync("date=2026-11-25"));
        Assert.Equal(0, await CountAsync("date=gt2026-11-25"));
        Assert.Empty((await fhir.SearchAsync<Observation>([$"patient=Patient/{await PatientAsync(app, "Patel")}"]))!.Entry);

        var withPatient = await fhir.SearchAsync<Observation>([$"patient=Patient/{smith}", "_include=Observation:subject"]);
        Assert.Equal(["Observation", "Patient"], withPatient!.Entry.Select(e => e.Resource!.TypeName).Order());
        Assert.Equal(Bundle.SearchEntryMode.Include, withPatient.Entry.Single(e => e.Resource is Hl7.Fhir.Model.Patient).Search!.Mode);
        var nurse = await fhir.CreateAsync(new Practitioner { Name = [new HumanName { Family = "Okafor", Given = ["Ada"] }] });
        var observed = HeartRate(smith, 90);
        observed.Performer = [new ResourceReference($"Practitioner/{nurse!.Id}")];
        await fhir.CreateAsync(observed);
        var withPerformer = await fhir.SearchAsync<Observation>([$"patient=Patient/{smith}", "_include=Observation:performer"]);
        Assert.Equal(nurse.Id, withPerformer!.Entry.Single(e => e.Search!.Mode == Bundle.SearchEntryMode.Include).Resource!.Id);
        Assert.DoesNotContain((await fhir.SearchAsync<Observation>([$"patient=Patient/{smith}", "_include=Observation:performer:Organization"]))!.Entry, e => e.Search!.Mode == Bundle.SearchEntryMode.Include);
        Assert.Equal(HttpStatusCode.BadRequest, (await Assert.ThrowsAsync<FhirOperationException>(() => fhir.SearchAsync<Observation>([$"patient=Patient/{smith}", "_include=Observation:code"]))).Status);
        var visit = await fhir.CreateAsync(new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
            Subject = new ResourceReference($"Patient/{smith}"),
        });
        var atVisit = HeartRate(smith, 66);
        atVisit.Encounter = new ResourceReference($"Encounter/{visit!.Id}");
        var recorded = await fhir.CreateAsync(atVisit);
        var visitWithObservations = await fhir.SearchAsync<Encounter>([$"patient=Patient/{smith}", $"_id={visit.Id}", "_revinclude=Observation:encounter"]);
        Assert.Equal(recorded!.Id, visitWithObservations!.Entry.Single(e => e.Search!.Mode == Bundle.SearchEntryMode.Include).Resource!.Id);
        Assert.Equal(HttpStatusCode.BadRequest, (await Assert.ThrowsAsync<FhirOperationException>(() => fhir.SearchAsync<Encounter>(["_revinclude=Observation:encounter"]))).Status);
        var smithWithObservations = await fhir.SearchAsync<Hl7.Fhir.Model.Patient>([$"_id={smith}"]);
        Assert.Single(smithWithObservations!.Entry);
        var revincluded = await fhir.SearchAsync<Hl7.Fhir.Model.Patient>(["family=smith", "given=john", "_revinclude=Observation:subject"]);
        Assert.Contains(revincluded!.Entry, e => e.Resource!.Id == created.Id && e.Search!.Mode == Bundle.SearchEntryMode.Include);

        var statement = await fhir.CapabilityStatementAsync();
        var observation = statement!.Rest[0].Resource.Single(r => r.Type == "Observation");
        Assert.Contains(observation.Interaction, i => i.Code == CapabilityStatement.TypeRestfulInteraction.Vread);
        Assert.Contains(observation.SearchParam, p => p.Name == "code");
    }

    [Fact]
    public async System.Threading.Tasks.Task Staff_see_an_observation_only_with_a_care_relationship()
    {
        await using var app = LanternApp.On(provider);
        using var system = await FhirTestClients.SystemAsync(app);
        var smith = await PatientAsync(app, "Smith"); // on Ward 7
        var hughes = await PatientAsync(app, "Hughes"); // on Ward 12
        var onWard7 = await FhirTestClients.Fhir(system).CreateAsync(HeartRate(smith, 72));
        var onWard12 = await FhirTestClients.Fhir(system).CreateAsync(HeartRate(hughes, 64));

        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse"); // Ward 7
        Assert.Equal(HttpStatusCode.OK, (await nurse.Http.GetAsync($"/fhir/Observation/{onWard7!.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.Http.GetAsync($"/fhir/Observation/{onWard12!.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.Http.GetAsync($"/fhir/Observation?patient=Patient/{hughes}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await nurse.Http.GetAsync("/fhir/Observation?code=8867-4")).StatusCode);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk"); // no clinical records
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Http.GetAsync($"/fhir/Observation/{onWard7.Id}")).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.PatientId == hughes && e.UserName == "nurse" && e.Outcome == Lantern.Server.Audit.AuditOutcome.Denied)));
    }

    [Fact]
    public async System.Threading.Tasks.Task An_inpatient_spell_reads_as_an_Encounter_that_follows_the_admission()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var patient = await app.WithDbAsync(db => db.Patients.Where(p => p.Gender == Lantern.Server.Patients.Gender.Male && !db.Spells.Any(s => s.PatientId == p.Id) && !p.IsSensitive)
            .OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());
        var team = await app.WithDbAsync(db => db.ClinicalTeams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync());
        var admitted = await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new { patientId = patient, wardCode = "W07", bedLabel = "A3", teamId = team, admissionMethod = "21", admissionSource = "19" });
        var spellId = JsonNode.Parse(await admitted.Content.ReadAsStringAsync())!["id"]!.GetValue<int>();
        using var system = await FhirTestClients.SystemAsync(app);
        using var fhir = FhirTestClients.Fhir(system);

        var encounter = await fhir.ReadAsync<Encounter>($"Encounter/spell-{spellId}");
        Assert.Equal(Encounter.EncounterStatus.InProgress, encounter!.Status);
        Assert.Equal("IMP", encounter.Class.Code);
        Assert.Equal($"Patient/{patient}", encounter.Subject!.Reference);
        Assert.Equal("W07 bed A3", Assert.Single(encounter.Location).Location!.Display);
        Assert.Equal("19", encounter.Hospitalization!.AdmitSource!.Coding[0].Code);

        await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/discharge", new { dischargeMethod = "1", dischargeDestination = "19" });
        var finished = await fhir.ReadAsync<Encounter>($"Encounter/spell-{spellId}");
        Assert.Equal(Encounter.EncounterStatus.Finished, finished!.Status);
        Assert.NotNull(finished.Period!.End);
        Assert.Equal("19", finished.Hospitalization!.DischargeDisposition!.Coding[0].Code);
        var found = await fhir.SearchAsync<Encounter>([$"patient=Patient/{patient}"]);
        Assert.Contains(found!.Entry, e => e.Resource!.Id == $"spell-{spellId}");
        var everything = new FhirJsonDeserializer().Deserialize<Bundle>(await system.GetStringAsync($"/fhir/Patient/{patient}/$everything"))!;
        Assert.Contains(everything.Entry, e => e.Resource is Encounter { Id: var id } && id == $"spell-{spellId}");
        Assert.Equal(HttpStatusCode.NotFound, (await system.GetAsync("/fhir/Encounter/spell-999999")).StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Bad_requests_are_refused_by_name_and_store_nothing()
    {
        await using var app = LanternApp.On(provider);
        using var system = await FhirTestClients.SystemAsync(app);
        var before = await app.WithDbAsync(db => db.FhirResources.CountAsync());
        var nobody = await Assert.ThrowsAsync<FhirOperationException>(() => FhirTestClients.Fhir(system).CreateAsync(HeartRate(Guid.NewGuid(), 70)));
        Assert.Equal((HttpStatusCode)422, nobody.Status);
        var noSubject = HeartRate(Guid.NewGuid(), 70);
        noSubject.Subject = null;
        using var content = new StringContent(noSubject.ToJson(), System.Text.Encoding.UTF8, FhirFormat.JsonType);
        var response = await system.PostAsync("/fhir/Observation", content);
        Assert.Contains("Observation.subject", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await system.GetAsync("/fhir/Spaceship/1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await system.GetAsync("/fhir/Observation?value-quantity=70")).StatusCode);
        Assert.Equal(before, await app.WithDbAsync(db => db.FhirResources.CountAsync()));
    }
}

public sealed class SqliteFhirStoreTests() : FhirStoreContract(StorageProvider.Sqlite);

public sealed class PostgresFhirStoreTests() : FhirStoreContract(StorageProvider.Postgres);
