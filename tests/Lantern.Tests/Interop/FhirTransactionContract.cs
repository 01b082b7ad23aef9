using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.OAuth;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Tests.Interop;

/// <summary>Transaction Bundles: Synthea patients all or nothing, urn:uuid and conditional references, on each database engine.</summary>
public abstract class FhirTransactionContract(StorageProvider provider)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Interop", "TestData", "synthea");

    private static async Task<string> BundleAsync(string file)
    {
        await using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return await reader.ReadToEndAsync();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string json) =>
        http.PostAsync("/fhir", new StringContent(json, System.Text.Encoding.UTF8, FhirFormat.JsonType));

    [Fact]
    public async System.Threading.Tasks.Task A_bundle_beyond_the_usual_request_limit_is_taken_over_real_HTTP()
    {
        await using var app = LanternApp.On(provider);
        app.UseKestrel(0);
        app.StartServer();
        app.ClientOptions.BaseAddress = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
        using var http = await FhirTestClients.SystemAsync(app);
        var patient = await app.WithDbAsync(db => db.Patients.OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());
        // A scanned 23 MiB letter: 32 MB as base64, beyond Kestrel's default 30 MB request limit.
        var scan = new byte[23 * 1024 * 1024];
        new Random(6).NextBytes(scan);
        var letter = new DocumentReference
        {
            Status = DocumentReferenceStatus.Current,
            Subject = new ResourceReference($"Patient/{patient}"),
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "application/pdf", Data = scan, Title = "Clinic letter" } }],
        };
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = letter,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "DocumentReference" },
        });
        var json = bundle.ToJson();
        Assert.True(json.Length > 30_000_000);

        var response = await PostAsync(http, json);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync())[..Math.Min(500, (int)(response.Content.Headers.ContentLength ?? 500))]}");
        var location = new FhirJsonDeserializer().Deserialize<Bundle>(await response.Content.ReadAsStringAsync())!.Entry.Single().Response!.Location!.Split("/_history")[0];
        var stored = new FhirJsonDeserializer().Deserialize<DocumentReference>(await http.GetStringAsync($"/fhir/{location}"))!;
        Assert.Equal(scan, stored.Content.Single().Attachment.Data);
    }

    [Fact]
    public async System.Threading.Tasks.Task Synthea_bundles_import_as_transactions_with_every_reference_resolved_and_counts_as_the_manifest()
    {
        await using var app = LanternApp.On(provider);
        using var http = await FhirTestClients.SystemAsync(app);
        var manifest = File.ReadAllLines(Path.Combine(Folder, "manifest.csv")).Skip(1).ToList();
        Assert.Equal(3, manifest.Count);
        foreach (var file in Directory.GetFiles(Folder, "*.json.gz"))
        {
            var response = await PostAsync(http, await BundleAsync(file));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{Path.GetFileName(file)}: {await response.Content.ReadAsStringAsync()}");
            var answer = new FhirJsonDeserializer().Deserialize<Bundle>(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(Bundle.BundleType.TransactionResponse, answer.Type);
            var patientLocation = answer.Entry.Select(e => e.Response!.Location!).First(l => l.StartsWith("Patient/", StringComparison.Ordinal));
            var patientId = Guid.Parse(patientLocation.Split('/')[1]);

            // Per-patient counts as the manifest says (Organization and Practitioner are not about a patient).
            var row = manifest.Single(m => m.Contains(Path.GetFileName(file), StringComparison.Ordinal));
            var counts = JsonSerializer.Deserialize<Dictionary<string, int>>(row[(row.IndexOf("\"{", StringComparison.Ordinal) + 1)..^1].Replace("\"\"", "\"", StringComparison.Ordinal))!;
            var stored = await app.WithDbAsync(db => db.FhirResources.Where(r => r.PatientId == patientId).GroupBy(r => r.ResourceType)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
            foreach (var (type, count) in counts.Where(c => c.Key is not ("Patient" or "Organization" or "Practitioner")))
            {
                Assert.Equal((type, count), (type, stored.GetValueOrDefault(type)));
            }
            Assert.Equal(1, await app.WithDbAsync(db => db.Patients.CountAsync(p => p.Id == patientId)));
            var everything = new FhirJsonDeserializer().Deserialize<Bundle>(await http.GetStringAsync($"/fhir/Patient/{patientId}/$everything"))!;
            Assert.Equal(1 + counts.Where(c => c.Key is not ("Patient" or "Organization" or "Practitioner")).Sum(c => c.Value), everything.Entry.Count);

            // Every entry readable by its location; no urn:uuid left anywhere.
            foreach (var location in answer.Entry.Select(e => e.Response!.Location!).Where(l => !l.StartsWith("Patient/", StringComparison.Ordinal)).Take(40))
            {
                var read = await http.GetAsync("/fhir/" + string.Join('/', location.Split('/').Take(2)));
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }
        }
        Assert.False(await app.WithDbAsync(db => db.FhirResources.AnyAsync(r => r.Json.Contains("urn:uuid:"))));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.RecordType == "FhirTransaction" && e.UserName == "system:" + DemoIntegrationClients.IntegrationClientId)));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_import_command_posts_each_bundle_once_and_carries_on_where_it_stopped()
    {
        await using var app = LanternApp.On(provider);
        using var http = await FhirTestClients.SystemAsync(app);
        var folder = Directory.CreateTempSubdirectory("lantern-synthea-").FullName;
        try
        {
            var files = Directory.GetFiles(Folder, "*.json.gz");
            File.Copy(files[0], Path.Combine(folder, Path.GetFileName(files[0])));
            var first = await Lantern.Server.Interop.Fhir.Import.SyntheaImport.ImportAsync(http, folder, TextWriter.Null);
            Assert.Equal((1, 0, 0), (first.Imported, first.Skipped, first.Failed));
            foreach (var file in files.Skip(1))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
            var output = new StringWriter();
            var second = await Lantern.Server.Interop.Fhir.Import.SyntheaImport.ImportAsync(http, folder, output);
            Assert.Equal((2, 1, 0), (second.Imported, second.Skipped, second.Failed));
            Assert.Contains("resources/s", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(3, await app.WithDbAsync(db => db.AuditEntries.Where(e => e.RecordType == "FhirTransaction").Select(e => e.PatientId).Where(p => p != null).Distinct().CountAsync()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_with_one_bad_entry_stores_nothing_and_names_the_entry()
    {
        await using var app = LanternApp.On(provider);
        using var http = await FhirTestClients.SystemAsync(app);
        var json = JsonNode.Parse(await BundleAsync(Directory.GetFiles(Folder, "*.json.gz")[0]))!;
        var entries = json["entry"]!.AsArray();
        var last = entries.Count - 1;
        entries[last]!["resource"]!["subject"] = new JsonObject { ["reference"] = "urn:uuid:00000000-0000-0000-0000-000000000000" };
        var (patients, resources, audits) = await app.WithDbAsync(async db => (await db.Patients.CountAsync(), await db.FhirResources.CountAsync(), await db.AuditEntries.CountAsync()));

        var response = await PostAsync(http, json.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"Bundle.entry[{last}]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((patients, resources), await app.WithDbAsync(async db => (await db.Patients.CountAsync(), await db.FhirResources.CountAsync())));

        // The audit chain is still whole after the rollback: the next entries chain on and verify.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, await BundleAsync(Directory.GetFiles(Folder, "*.json.gz")[1]))).StatusCode);
        using var auditor = await StaffBrowser.SignedInAsync(app, "igauditor");
        Assert.Equal(HttpStatusCode.OK, (await auditor.Http.GetAsync("/api/audit/verify")).StatusCode);
    }

    /// <summary>A transaction of a new patient and <paramref name="count"/> heart rates citing them by urn:uuid, as JSON.</summary>
    private static JsonObject HeartRates(int count)
    {
        var patient = $"urn:uuid:{Guid.NewGuid()}";
        var entries = new JsonArray(new JsonObject
        {
            ["fullUrl"] = patient,
            ["resource"] = new JsonObject { ["resourceType"] = "Patient", ["name"] = new JsonArray(new JsonObject { ["family"] = "Longbundle", ["given"] = new JsonArray("Ivy") }), ["gender"] = "female", ["birthDate"] = "1961-06-01" },
            ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Patient" },
        });
        for (var i = 0; i < count; i++)
        {
            entries.Add(new JsonObject
            {
                ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}",
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Observation", ["status"] = "final",
                    ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "8867-4", ["display"] = "Heart rate" }) },
                    ["subject"] = new JsonObject { ["reference"] = patient },
                    ["effectiveDateTime"] = $"2026-01-01T{i / 60 % 24:00}:{i % 60:00}:00Z",
                    ["valueQuantity"] = new JsonObject { ["value"] = 60 + (i % 40), ["unit"] = "/min", ["system"] = "http://unitsofmeasure.org", ["code"] = "/min" },
                },
                ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Observation" },
            });
        }
        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_of_thousands_of_entries_is_stored_whole_or_not_at_all()
    {
        await using var app = LanternApp.On(provider);
        using var http = await FhirTestClients.SystemAsync(app);
        var before = await app.WithDbAsync(async db => (await db.Patients.CountAsync(), await db.FhirResources.CountAsync()));

        // Read and stored entry by entry, saved in parts inside one transaction: a fault in the very last entry,
        // found only when it is stored, still takes back every part saved before it.
        var failing = HeartRates(1_300);
        failing["entry"]!.AsArray().Add(new JsonObject
        {
            ["resource"] = JsonNode.Parse(failing["entry"]![1]!["resource"]!.ToJsonString())!.AsObject(),
            ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"Observation/{Guid.NewGuid()}" },
        });
        var refused = await PostAsync(http, failing.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("Bundle.entry[1301]", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.WithDbAsync(async db => (await db.Patients.CountAsync(), await db.FhirResources.CountAsync())));

        // An entry that does not parse is named by its place in the Bundle as sent, and nothing is stored.
        var unparsable = HeartRates(800);
        unparsable["entry"]![700]!["resource"]!["valueQuantity"]!["value"] = "sixty";
        var badEntry = await PostAsync(http, unparsable.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, badEntry.StatusCode);
        var outcome = new FhirJsonDeserializer().Deserialize<OperationOutcome>(await badEntry.Content.ReadAsStringAsync())!;
        Assert.Contains(outcome.Issue, i => i.Expression.Any(e => e != null && e.StartsWith("Bundle.entry[700]", StringComparison.Ordinal)));

        var whole = await PostAsync(http, HeartRates(1_300).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var answer = new FhirJsonDeserializer().Deserialize<Bundle>(await whole.Content.ReadAsStringAsync())!;
        Assert.Equal(1_301, answer.Entry.Count);
        var patientId = Guid.Parse(answer.Entry[0].Response!.Location!.Split('/')[1]);
        Assert.Equal(1_300, await app.WithDbAsync(db => db.FhirResources.CountAsync(r => r.ResourceType == "Observation" && r.PatientId == patientId)));
        Assert.Equal((before.Item1 + 1, before.Item2 + 1_300), await app.WithDbAsync(async db => (await db.Patients.CountAsync(), await db.FhirResources.CountAsync())));
        // Each answer is the stored resource's place, in entry order.
        var last = answer.Entry[^1].Response!.Location!.Split("/_history")[0];
        Assert.Contains("2026-01-01T21:39:00", await http.GetStringAsync($"/fhir/{last}"), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_conditional_reference_finds_the_patient_by_NHS_number()
    {
        await using var app = LanternApp.On(provider);
        using var http = await FhirTestClients.SystemAsync(app);
        var smith = await app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == "Smith" && p.NhsNumber != null).OrderBy(p => p.Mrn).Select(p => new { p.Id, p.NhsNumber }).FirstAsync());
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + Guid.NewGuid(),
            Resource = new Condition
            {
                Code = new CodeableConcept("http://snomed.info/sct", "38341003", "Hypertension"),
                Subject = new ResourceReference($"Patient?identifier={UkCore.NhsNumberSystem}|{smith.NhsNumber}"),
            },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Condition" },
        });
        var response = await PostAsync(http, bundle.ToJson());
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.FhirResources.CountAsync(r => r.ResourceType == "Condition" && r.PatientId == smith.Id)));

        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse"); // may write notes, may not register patients
        var withPatient = new Bundle { Type = Bundle.BundleType.Transaction };
        withPatient.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Hl7.Fhir.Model.Patient { Name = [new HumanName { Family = "Nobody", Given = ["No"] }], BirthDate = "1990-01-01", Gender = AdministrativeGender.Male },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" },
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(nurse.Http, withPatient.ToJson())).StatusCode);
    }
}

public sealed class SqliteFhirTransactionTests() : FhirTransactionContract(StorageProvider.Sqlite);

public sealed class PostgresFhirTransactionTests() : FhirTransactionContract(StorageProvider.Postgres);
