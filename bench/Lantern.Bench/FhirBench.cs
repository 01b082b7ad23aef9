using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.OAuth;

namespace Lantern.Bench;

/// <summary>
/// The FHIR API at trust scale: N synthetic patients bulk-loaded, then a registered system (client credentials
/// token, system/*.cruds) reads and searches patients, creates patients and observations, over loopback HTTP;
/// every call is authorised by scope and audited. Optionally imports a folder of Synthea bundles as transactions.
/// </summary>
internal static class FhirBench
{
    public static async Task RunAsync(BenchServer server, StorageProvider provider, int patients, int[] concurrencies, TimeSpan duration, string? synthea, int importParallel, int bundleEntries)
    {
        Console.WriteLine($"FHIR benchmark: {provider}, {patients:N0} synthetic patients, {Environment.ProcessorCount} cores, server in its own process, load driver in the bench (loopback HTTP), " +
            $"{duration.TotalSeconds:0} s per workload");
        var load = Stopwatch.StartNew();
        var samples = await MpiBench.LoadAsync(server, patients);
        BenchReport.Loaded(load.Elapsed);
        Console.WriteLine($"Bulk load: {patients:N0} patients in {load.Elapsed.TotalSeconds:0.0} s; database {await server.DatabaseBytesAsync() / 1048576.0:0} MiB");
        var token = await TokenAsync(server);
        HttpClient Client()
        {
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return http;
        }
        MpiBench.Sample Any(Random r) => samples[r.Next(samples.Count)];
        Func<Task<bool>> Get(HttpClient http, Func<Random, string> path, int seed)
        {
            var random = new Random(seed);
            return async () =>
            {
                using var response = await http.GetAsync(path(random));
                await response.Content.CopyToAsync(Stream.Null);
                return response.StatusCode == HttpStatusCode.OK;
            };
        }
        Func<Task<bool>> Post(HttpClient http, string path, Func<Random, string> body, int seed)
        {
            var random = new Random(seed);
            return async () =>
            {
                using var response = await http.PostAsync(path, new StringContent(body(random), Encoding.UTF8, FhirFormat.JsonType));
                await response.Content.CopyToAsync(Stream.Null);
                return response.StatusCode == HttpStatusCode.Created;
            };
        }
        var workloads = new (string Name, Func<HttpClient, int, Func<Task<bool>>> Call)[]
        {
            ("read Patient/{id}", (http, seed) => Get(http, r => $"/fhir/Patient/{Any(r).Id}", seed)),
            ("search Patient?identifier=nhs|…", (http, seed) => Get(http, r => $"/fhir/Patient?identifier={UkCore.NhsNumberSystem}|{Any(r).NhsNumber}", seed)),
            ("search Patient?family=&birthdate=", (http, seed) => Get(http, r => Any(r) is var s
                ? $"/fhir/Patient?family={Uri.EscapeDataString(s.FamilyName[..Math.Min(4, s.FamilyName.Length)])}&birthdate={s.BirthDate:yyyy-MM-dd}" : "", seed)),
            ("create Observation", (http, seed) => Post(http, "/fhir/Observation", r => Observation(Any(r).Id, r), seed)),
            ("create Patient", (http, seed) => Post(http, "/fhir/Patient", r => Patient(r), seed)),
        };
        Console.WriteLine();
        LoadRun.PrintHeader(38);
        foreach (var (name, call) in workloads)
        {
            foreach (var workers in concurrencies)
            {
                var r = await LoadRun.RunAsync(name, workers, duration, w => Task.FromResult(call(Client(), w)));
                LoadRun.Print(r, workers, 38);
            }
        }
        if (synthea is not null && Directory.Exists(synthea))
        {
            var copy = Directory.CreateTempSubdirectory("lantern-bench-synthea-").FullName;
            foreach (var file in Directory.GetFiles(synthea))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }
            using var http = Client();
            Console.WriteLine();
            var summary = await Lantern.Server.Interop.Fhir.Import.SyntheaImport.ImportAsync(http, copy, TextWriter.Null, importParallel);
            Console.WriteLine($"Synthea import ({importParallel} bundle(s) at a time, each a transaction, every resource validated): {summary.Imported} bundles, {summary.Resources:N0} resources in {summary.Seconds:0.0} s " +
                $"= {summary.Resources / summary.Seconds:N0} resources/s; {summary.Failed} failed");
            Directory.Delete(copy, recursive: true);
        }
        if (bundleEntries > 0)
        {
            using var http = Client();
            await LargeTransactionAsync(http, bundleEntries);
        }
        Console.WriteLine();
        Console.WriteLine($"Server peak RSS: {server.PeakRssBytes / 1048576.0:0} MiB; bench (driver) peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");
    }

    /// <summary>
    /// One transaction of a new patient and <paramref name="entries"/> observations citing them by urn:uuid: its time, and
    /// the managed heap (live and not yet collected, sampled every 50 ms) while the server reads, checks and stores it.
    /// </summary>
    private static async Task LargeTransactionAsync(HttpClient http, int entries)
    {
        var random = new Random(11);
        var patient = $"urn:uuid:{Guid.NewGuid()}";
        var body = new StringBuilder($$$"""{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"{{{patient}}}","resource":{{{Patient(random)}}},"request":{"method":"POST","url":"Patient"}}""");
        for (var i = 0; i < entries; i++)
        {
            var observation = Observation(Guid.Empty, random).Replace($"Patient/{Guid.Empty}", patient, StringComparison.Ordinal);
            body.Append(CultureInfo.InvariantCulture, $$$""",{"fullUrl":"urn:uuid:{{{Guid.NewGuid()}}}","resource":{{{observation}}},"request":{"method":"POST","url":"Observation"}}""");
        }
        var json = Encoding.UTF8.GetBytes(body.Append("]}").ToString());
        body.Clear();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var clock = Stopwatch.StartNew();
        using var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue(FhirFormat.JsonType);
        using var response = await http.PostAsync("/fhir", content);
        await response.Content.CopyToAsync(Stream.Null);
        clock.Stop();
        await sampling.CancelAsync();
        await sampler;
        Console.WriteLine();
        Console.WriteLine($"Large transaction: 1 patient + {entries:N0} observations ({json.Length / 1048576.0:0.0} MiB of JSON), HTTP {(int)response.StatusCode} in {clock.Elapsed.TotalSeconds:0.0} s " +
            $"= {(entries + 1) / clock.Elapsed.TotalSeconds:N0} entries/s; managed heap {before / 1048576.0:0} MiB before, at most {peak / 1048576.0:0} MiB during (the body itself included)");
    }

    private static async Task<string> TokenAsync(BenchServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        return await Lantern.Server.Interop.Fhir.Import.SyntheaImport.TokenAsync(http, DemoIntegrationClients.IntegrationClientId, DemoIntegrationClients.Secret, Console.Error)
            ?? throw new InvalidOperationException("The demo integration client got no token");
    }

    private static string Observation(Guid patient, Random r) => new JsonObject
    {
        ["resourceType"] = "Observation",
        ["status"] = "final",
        ["category"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category", ["code"] = "vital-signs" }) }),
        ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "8867-4", ["display"] = "Heart rate" }) },
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        ["effectiveDateTime"] = $"2026-11-25T08:{r.Next(60):00}:00Z",
        ["valueQuantity"] = new JsonObject { ["value"] = r.Next(40, 140), ["unit"] = "/min", ["system"] = "http://unitsofmeasure.org", ["code"] = "/min" },
    }.ToJsonString();

    private static string Patient(Random r) => new JsonObject
    {
        ["resourceType"] = "Patient",
        ["name"] = new JsonArray(new JsonObject { ["use"] = "official", ["family"] = "Benchley", ["given"] = new JsonArray("Alex" + r.Next(1000).ToString(CultureInfo.InvariantCulture)) }),
        ["gender"] = r.Next(2) == 0 ? "male" : "female",
        ["birthDate"] = new DateOnly(1930 + r.Next(90), 1 + r.Next(12), 1 + r.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["address"] = new JsonArray(new JsonObject { ["line"] = new JsonArray("1 Bench Street"), ["city"] = "Leeds", ["postalCode"] = "LS1 4AP" }),
    }.ToJsonString();
}
