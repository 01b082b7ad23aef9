using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lantern.Server.Inpatients;
using Lantern.Server.Organisation;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Patients.Synthetic;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Bench;

/// <summary>
/// Inpatients at trust scale: N synthetic patients, the demo trust grown to about 1,000 beds with 30-bed wards,
/// a year of discharged admissions behind them, 85% of beds filled by admissions over the API. Then, over loopback
/// HTTP as signed-in clerks, each worker runs patients through its own ward (admit, transfer, change of consultant, discharge, beds marked clean: every
/// command a real transaction with its audit entry and outbox message), and staff render a full 30-bed bed board.
/// </summary>
internal static class AdtBench
{
    private const int BedsPerWard = 30;
    private const double Occupancy = 0.85;

    public static async Task RunAsync(BenchServer server, StorageProvider provider, int patients, int beds, int historyDays, int[] concurrencies, TimeSpan duration,
        Func<string, Task<HttpClient>> signIn)
    {
        Console.WriteLine($"ADT benchmark: {provider}, {patients:N0} synthetic patients, about {beds:N0} beds, {Environment.ProcessorCount} cores, " +
            $"server in its own process, load driver in the bench (loopback HTTP), {duration.TotalSeconds:0} s per workload");
        var load = Stopwatch.StartNew();
        var (patientIds, wards, team, otherTeam) = await BuildHospitalAsync(server, patients, beds, historyDays);
        BenchReport.Loaded(load.Elapsed);
        Console.WriteLine($"Bulk load: {patients:N0} patients and {wards.Count} extra wards in {load.Elapsed.TotalSeconds:0.0} s");

        // Fill each bench ward to 85% through the API (the first admissions of the day, measured too).
        var fill = wards.SelectMany(w => w.Beds.Take((int)(BedsPerWard * Occupancy)).Select(b => (w.Code, Bed: b))).ToList();
        var queue = new ConcurrentQueue<(string Ward, string Bed, Guid Patient)>(fill.Select((f, i) => (f.Code, f.Bed, patientIds[i])));
        var fillLatencies = new ConcurrentBag<double>();
        var failures = 0;
        var fillClock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var http = await signIn("clerk");
            while (queue.TryDequeue(out var item))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/api/inpatients/admissions", Admission(item.Patient, item.Ward, item.Bed, team));
                fillLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var sortedFill = fillLatencies.Order().ToArray();
        Console.WriteLine($"Dataset: {await server.PatientCountAsync():N0} patients, {await BedCountAsync(server):N0} beds, {await OccupiedAsync(server):N0} occupied; " +
            $"database {await server.DatabaseBytesAsync() / 1048576.0:0} MiB");
        Console.WriteLine();
        LoadRun.PrintHeader(44);
        LoadRun.Print(new LoadRun.Result("admit (filling wards to 85%)", sortedFill.Length, failures, fillClock.Elapsed.TotalSeconds,
            LoadRun.Percentile(sortedFill, 50), LoadRun.Percentile(sortedFill, 95), LoadRun.Percentile(sortedFill, 99), sortedFill[^1]), 16, 44);

        var spare = patientIds.Skip(fill.Count).ToArray();
        var perKind = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        // A worker keeps its ward and its place in the journey from one run to the next.
        var journeys = new Dictionary<int, Func<Task<bool>>>();
        foreach (var workers in concurrencies)
        {
            var r = await LoadRun.RunAsync("ADT command mix (own ward per worker)", workers, duration, async w =>
                journeys.TryGetValue(w, out var journey) ? journey
                : journeys[w] = Journey(await signIn("clerk"), wards[w], spare.Skip(w * 500).Take(500).ToArray(), team, otherTeam, perKind));
            Print(r, workers);
        }
        foreach (var (kind, latencies) in perKind.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var sorted = latencies.Order().ToArray();
            Console.WriteLine($"  {kind,-42} {"all",4} {sorted.Length,9} {"",5} {"",8} {LoadRun.Percentile(sorted, 50),8:0.00} {LoadRun.Percentile(sorted, 95),8:0.00} " +
                $"{LoadRun.Percentile(sorted, 99),8:0.00} {sorted[^1],8:0.00}");
        }
        var board = wards[^1].Code; // untouched by the command mix: 25 patients in 30 beds
        foreach (var workers in concurrencies)
        {
            Print(await LoadRun.RunAsync($"GET /wards/{{code}} (bed board, 30 beds)", workers, duration, async _ => Get(await signIn("clerk"), $"/wards/{board}")), workers);
        }
        foreach (var workers in concurrencies)
        {
            Print(await LoadRun.RunAsync($"GET /api/wards/{{code}}/board (JSON)", workers, duration, async _ => Get(await signIn("clerk"), $"/api/wards/{board}/board")), workers);
        }
        Console.WriteLine();
        Console.WriteLine($"Outbox: {await OutboxAsync(server):N0} messages; server peak RSS {server.PeakRssBytes / 1048576.0:0} MiB");
    }

    private static void Print(LoadRun.Result r, int workers) => LoadRun.Print(r, workers, 44);

    private static Func<Task<bool>> Get(HttpClient http, string path) => async () =>
    {
        using var response = await http.GetAsync(path);
        await response.Content.CopyToAsync(Stream.Null);
        return response.StatusCode == HttpStatusCode.OK;
    };

    private static object Admission(Guid patient, string ward, string bed, int team) =>
        new { patientId = patient, wardCode = ward, bedLabel = bed, teamId = team, admissionMethod = "21", admissionSource = "19" };

    /// <summary>
    /// One worker's patients through its own ward, one command per call: admit to a free bed, transfer to another,
    /// change consultant, discharge, then mark both beds clean. Each call's latency is also kept by command.
    /// </summary>
    private static Func<Task<bool>> Journey(HttpClient http, BenchWard ward, Guid[] patients, int team, int otherTeam,
        ConcurrentDictionary<string, ConcurrentBag<double>> perKind)
    {
        var free = ward.Beds.Skip((int)(BedsPerWard * Occupancy)).ToArray(); // the 15% left empty by the fill
        var step = 0;
        var next = 0;
        var spellId = 0;
        return async () =>
        {
            var (kind, send) = (step % 6) switch
            {
                0 => ("admit", (Func<Task<HttpResponseMessage>>)(() => http.PostAsJsonAsync("/api/inpatients/admissions", Admission(patients[next++ % patients.Length], ward.Code, free[0], team)))),
                1 => ("transfer", () => http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/transfer", new { wardCode = ward.Code, bedLabel = free[1] })),
                2 => ("change consultant", () => http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/consultant", new { teamId = otherTeam })),
                3 => ("discharge", () => http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/discharge", new { dischargeMethod = "1", dischargeDestination = "19" })),
                4 => ("bed marked clean", () => http.PostAsJsonAsync($"/api/wards/{ward.Code}/beds/{free[0]}/status", new { status = "available" })),
                _ => ("bed marked clean", () => http.PostAsJsonAsync($"/api/wards/{ward.Code}/beds/{free[1]}/status", new { status = "available" })),
            };
            var started = Stopwatch.GetTimestamp();
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            perKind.GetOrAdd(kind, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }
            if (step % 6 == 0)
            {
                spellId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
            }
            step++;
            return true;
        };
    }

    private sealed record BenchWard(string Code, string[] Beds);

    /// <summary>N synthetic patients by the bulk path, and 30-bed wards (five mixed bays of six) until the trust has about <paramref name="beds"/> beds.</summary>
    private static async Task<(Guid[] Patients, List<BenchWard> Wards, int Team, int OtherTeam)> BuildHospitalAsync(BenchServer server, int patients, int beds, int historyDays)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var generated = await GeneratePatientsCommand.AddAsync(db, patients, TimeProvider.System);
        await PatientBulkLoad.AnalyseAsync(db);

        var site = await db.Sites.Include(s => s.Wards).OrderBy(s => s.Id).FirstAsync();
        var existing = await db.Beds.CountAsync();
        var wards = new List<Ward>();
        // At least one ward per worker (16) and one more for the bed board, whatever --beds says.
        for (var n = 1; existing + wards.Count * BedsPerWard < beds || wards.Count < 17; n++)
        {
            var ward = new Ward($"B{n:00}", $"Bench ward {n}", "300");
            foreach (var bay in new[] { "A", "B", "C", "D", "E" })
            {
                ward.AddBay(bay, SexOfBay.Mixed, BedsPerWard / 5);
            }
            wards.Add(ward);
        }
        site.Wards.AddRange(wards);
        await db.SaveChangesAsync();
        var teams = await db.ClinicalTeams.OrderBy(t => t.Id).Select(t => t.Id).Take(2).ToListAsync();
        var history = Stopwatch.StartNew();
        var spells = await AddHistoryAsync(db, wards, teams[0], Math.Min(patients, 60_000), historyDays);
        Console.WriteLine($"History: {spells:N0} discharged admissions over the past {historyDays} days in {history.Elapsed.TotalSeconds:0.0} s");

        // Patients to admit: spread over the load, found by MRN (indexed).
        var needed = (int)(wards.Count * BedsPerWard * Occupancy) + 16 * 500;
        var first = long.Parse(generated.FirstMrn.AsSpan(HospitalNumbers.Prefix.Length), CultureInfo.InvariantCulture);
        var stride = Math.Max(1, patients / needed);
        var mrns = Enumerable.Range(0, Math.Min(needed, patients)).Select(i => HospitalNumbers.Format(first + (long)i * stride)).ToList();
        var ids = new List<Guid>(mrns.Count);
        foreach (var chunk in mrns.Chunk(1000))
        {
            ids.AddRange(await db.Patients.AsNoTracking().Where(p => chunk.Contains(p.Mrn)).OrderBy(p => p.Mrn).Select(p => p.Id).ToListAsync());
        }
        return ([.. ids], [.. wards.Select(w => new BenchWard(w.Code, [.. w.Beds.Select(b => b.Label)]))], teams[0], teams[1]);
    }

    /// <summary>
    /// <paramref name="days"/> (a year; a quick run a month) of finished stays in the bench wards' beds, one after
    /// another in each bed (stays of 1 + ~4 days on average, ~1 day between patients), for patients drawn from the
    /// first <paramref name="people"/> loaded, each a spell with its ward stay and consultant episode as a discharge
    /// leaves them. So a bed board, a record's admissions and the current-spell lookups run over a trust's history,
    /// not an empty table.
    /// </summary>
    private static async Task<int> AddHistoryAsync(LanternDb db, List<Ward> wards, int team, int people, int days)
    {
        var patientIds = await db.Patients.AsNoTracking().OrderBy(p => p.Mrn).Select(p => p.Id).Take(people).ToArrayAsync();
        var random = new Random(7);
        var (start, end) = (DateTime.UtcNow.AddDays(-days), DateTime.UtcNow.AddDays(-1));
        double Exponential(double mean) => -mean * Math.Log(1 - random.NextDouble());
        var added = 0;
        foreach (var ward in wards)
        {
            foreach (var bed in ward.Beds)
            {
                for (var at = start.AddDays(Exponential(1)); ; at = at.AddDays(Exponential(1)))
                {
                    var discharged = at.AddDays(1 + Exponential(4));
                    if (discharged >= end)
                    {
                        break;
                    }
                    var spell = new Spell(patientIds[random.Next(patientIds.Length)], ward.Id, bed.Id, team, at);
                    spell.Discharge(discharged);
                    db.Spells.Add(spell);
                    at = discharged;
                    if (++added % 2_000 == 0)
                    {
                        await db.SaveChangesAsync();
                        db.ChangeTracker.Clear();
                    }
                }
            }
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return added;
    }

    private static async Task<int> BedCountAsync(BenchServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LanternDb>().Beds.CountAsync();
    }

    private static async Task<int> OccupiedAsync(BenchServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LanternDb>().Beds.CountAsync(b => b.Status == BedStatus.Occupied);
    }

    private static async Task<int> OutboxAsync(BenchServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LanternDb>().Outbox.CountAsync();
    }
}
