using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Patients.Synthetic;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Bench;

/// <summary>
/// The master patient index at trust scale: bulk-load N synthetic patients, then drive the JSON API over
/// loopback HTTP as signed-in clerks: search by NHS number, by surname prefix + date of birth, by sound-alike
/// surname, and registration. Every request goes through authorisation and writes its audit entry.
/// </summary>
internal static class MpiBench
{
    internal sealed record Sample(Guid Id, string NhsNumber, string FamilyName, DateOnly BirthDate);

    public static async Task RunAsync(BenchServer server, StorageProvider provider, int patients, int[] concurrencies, TimeSpan duration,
        Func<string, Task<HttpClient>> signIn)
    {
        Console.WriteLine($"MPI benchmark: {provider}, loading {patients:N0} synthetic patients, {Environment.ProcessorCount} cores, server in its own process, load driver in the bench (loopback HTTP), " +
            $"{duration.TotalSeconds:0} s per workload");
        var load = Stopwatch.StartNew();
        var samples = await LoadAsync(server, patients);
        BenchReport.Loaded(load.Elapsed);
        Console.WriteLine($"Bulk load: {patients:N0} patients in {load.Elapsed.TotalSeconds:0.0} s ({patients / load.Elapsed.TotalSeconds:N0}/s), " +
            $"bench (loader) peak working set so far {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");
        Console.WriteLine($"Dataset: {await server.PatientCountAsync():N0} patients; database {await server.DatabaseBytesAsync() / 1048576.0:0} MiB");
        Console.WriteLine();

        Func<Task<bool>> Search(HttpClient http, Func<Random, object> criteria, int seed)
        {
            var random = new Random(seed);
            return async () =>
            {
                using var response = await http.PostAsJsonAsync("/api/patients/search", criteria(random));
                await response.Content.CopyToAsync(Stream.Null);
                return response.StatusCode == HttpStatusCode.OK;
            };
        }
        Sample Any(Random r) => samples[r.Next(samples.Count)];

        var workloads = new (string Name, Func<HttpClient, int, Func<Task<bool>>> Call)[]
        {
            ("search: NHS number (3-3-4)", (http, seed) => Search(http, r => new { nhsNumber = NhsNumber.Format(Any(r).NhsNumber) }, seed)),
            ("search: surname prefix + DOB", (http, seed) => Search(http, r => Any(r) is var s ? new { familyName = s.FamilyName[..Math.Min(4, s.FamilyName.Length)], birthDate = s.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } : null!, seed)),
            ("search: surname, sounds alike", (http, seed) => Search(http, r => new { familyName = SoundAlike(Any(r).FamilyName), soundsLike = true }, seed)),
            ("GET /patients/{id} (summary page)", (http, seed) =>
            {
                var random = new Random(seed);
                return async () =>
                {
                    using var response = await http.GetAsync($"/patients/{Any(random).Id}");
                    await response.Content.CopyToAsync(Stream.Null);
                    return response.StatusCode == HttpStatusCode.OK;
                };
            }),
            ("register (API, duplicate check)", (http, seed) =>
            {
                var generator = new SyntheticPatients(seed + 7919, new DateOnly(2026, 11, 25));
                return async () =>
                {
                    var d = generator.Next(null);
                    var details = new PatientDetails
                    {
                        FamilyName = d.FamilyName, GivenName = d.GivenName, BirthDate = d.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        Gender = d.Gender.ToString().ToLowerInvariant(), AddressLine1 = d.AddressLine1, Town = d.Town, Postcode = d.Postcode, Phone = d.Phone,
                    };
                    using var response = await http.PostAsJsonAsync("/api/patients", new { details, acceptPossibleDuplicates = true });
                    return response.StatusCode == HttpStatusCode.Created;
                };
            }),
        };

        LoadRun.PrintHeader(36);
        foreach (var (name, call) in workloads)
        {
            foreach (var workers in concurrencies)
            {
                var r = await LoadRun.RunAsync(name, workers, duration, async w => call(await signIn("clerk"), w));
                LoadRun.Print(r, workers, 36);
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Server peak RSS: {server.PeakRssBytes / 1048576.0:0} MiB; bench (driver) peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");
    }

    /// <summary>How a clerk might mistype a name that sounds the same (Smith → Smyth, Mac → Mc).</summary>
    private static string SoundAlike(string name) =>
        name.StartsWith("Mac", StringComparison.Ordinal) ? "Mc" + name[3..]
        : name.Contains('i', StringComparison.Ordinal) ? name.Replace('i', 'y')
        : name.Length > 3 ? name + "e" : name;

    /// <summary>Bulk-loads <paramref name="count"/> synthetic patients; returns 2,000 of them (with NHS numbers) to look up.</summary>
    internal static async Task<List<Sample>> LoadAsync(BenchServer server, int count)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var generated = await GeneratePatientsCommand.AddAsync(db, count, TimeProvider.System);
        await PatientBulkLoad.AnalyseAsync(db);
        // Search targets: 2,000 patients spread over the load, looked up by MRN (an indexed read, not a scan).
        var first = long.Parse(generated.FirstMrn.AsSpan(HospitalNumbers.Prefix.Length), CultureInfo.InvariantCulture);
        var random = new Random(42);
        var mrns = Enumerable.Range(0, 2000).Select(_ => HospitalNumbers.Format(first + random.Next(Math.Min(count, generated.WithNhsNumber)))).Distinct().ToList();
        return await db.Patients.AsNoTracking().Where(p => mrns.Contains(p.Mrn) && p.NhsNumber != null)
            .Select(p => new Sample(p.Id, p.NhsNumber!, p.FamilyName, p.BirthDate)).ToListAsync();
    }
}
