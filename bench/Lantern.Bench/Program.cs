using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Lantern.Bench;
using Lantern.Server.Demo;
using Lantern.Server.Platform.Storage;

// Platform benchmark: the pages every member of staff hits all day, over real HTTP on loopback.
// dotnet run -c Release --project bench/Lantern.Bench -- [--provider sqlite|postgres] [--connection "..."]
//     [--seconds 10] [--workers 8] [--suite audit [--entries 20000]] [--suite mpi [--patients 1000000] [--concurrency 1,16]]
//     [--suite adt [--patients 1000000] [--beds 1000] [--concurrency 1,16]]
//     [--suite fhir [--patients 1000000] [--concurrency 1,16] [--synthea <folder of bundles>] [--import-parallel 2] [--bundle <entries>]]
//     [--suite validate --synthea <folder of bundles>]
//     [--suite hl7 [--concurrency 1,16]]
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
if (options.GetValueOrDefault("suite") == "validate")
{
    await ValidationBench.RunAsync(options.GetValueOrDefault("synthea") ?? throw new InvalidOperationException("--synthea <folder of bundles> is needed"));
    return;
}
var provider = StorageProviders.Parse(options.GetValueOrDefault("provider", "sqlite"));
var seconds = int.Parse(options.GetValueOrDefault("seconds", "10"), System.Globalization.CultureInfo.InvariantCulture);
var workers = int.Parse(options.GetValueOrDefault("workers", "8"), System.Globalization.CultureInfo.InvariantCulture);
var sqliteFile = Path.Combine(Path.GetTempPath(), $"lantern-bench-{Guid.NewGuid():N}.db");
var connection = provider == StorageProvider.Sqlite
    ? $"Data Source={sqliteFile}"
    : (options.GetValueOrDefault("connection") ?? Environment.GetEnvironmentVariable("LANTERN_TEST_POSTGRES")
        ?? throw new InvalidOperationException("--connection (or LANTERN_TEST_POSTGRES) is needed for postgres"))
        + $";Database=lantern_bench_{Guid.NewGuid():N}";

await using var server = new BenchServer(provider, connection);
var duration = TimeSpan.FromSeconds(seconds);
if (options.GetValueOrDefault("suite") == "audit")
{
    await AuditBench.RunAsync(server, provider, int.Parse(options.GetValueOrDefault("entries", "20000"), System.Globalization.CultureInfo.InvariantCulture));
    return;
}

HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    { BaseAddress = server.BaseAddress };

async Task<HttpClient> SignedInClient(string user)
{
    var http = NewClient();
    var login = await http.GetStringAsync("/login");
    var token = Regex.Match(login, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    var response = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        { ["Username"] = user, ["Password"] = DemoAccounts.Password, ["__RequestVerificationToken"] = token }));
    if (response.StatusCode != HttpStatusCode.Redirect)
    {
        throw new InvalidOperationException($"Sign-in as {user} failed: {(int)response.StatusCode}");
    }
    return http;
}

if (options.GetValueOrDefault("suite") == "fhir")
{
    var concurrency = options.GetValueOrDefault("concurrency", "1,16").Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    await FhirBench.RunAsync(server, provider, int.Parse(options.GetValueOrDefault("patients", "1000000"), System.Globalization.CultureInfo.InvariantCulture),
        concurrency, duration, options.GetValueOrDefault("synthea"), int.Parse(options.GetValueOrDefault("import-parallel", "2"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(options.GetValueOrDefault("bundle", "0"), System.Globalization.CultureInfo.InvariantCulture));
    await CleanUpAsync();
    return;
}

if (options.GetValueOrDefault("suite") == "hl7")
{
    var connections = options.GetValueOrDefault("concurrency", "1,16").Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    await Hl7Bench.RunAsync(server, provider, connections, duration);
    await CleanUpAsync();
    return;
}

if (options.GetValueOrDefault("suite") == "adt")
{
    var concurrency = options.GetValueOrDefault("concurrency", "1,16").Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    await AdtBench.RunAsync(server, provider, int.Parse(options.GetValueOrDefault("patients", "1000000"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(options.GetValueOrDefault("beds", "1000"), System.Globalization.CultureInfo.InvariantCulture), concurrency, duration, SignedInClient);
    await CleanUpAsync();
    return;
}

if (options.GetValueOrDefault("suite") == "mpi")
{
    var concurrency = options.GetValueOrDefault("concurrency", "1,16").Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    await MpiBench.RunAsync(server, provider, int.Parse(options.GetValueOrDefault("patients", "1000000"), System.Globalization.CultureInfo.InvariantCulture),
        concurrency, duration, SignedInClient);
    await CleanUpAsync();
    return;
}

Console.WriteLine($"Lantern platform benchmark: {provider}, {workers} workers, {seconds} s per workload, {Environment.ProcessorCount} cores");
Console.WriteLine($"Dataset: {await server.DatasetAsync()}");
Console.WriteLine("Server and load driver share this process and machine (loopback HTTP).");
Console.WriteLine();

Func<Task<bool>> Get(HttpClient http, string path) => async () =>
{
    using var response = await http.GetAsync(path);
    await response.Content.CopyToAsync(Stream.Null);
    return response.StatusCode == HttpStatusCode.OK;
};

var smith = await server.PatientIdAsync("Smith");
var results = new List<LoadRun.Result>
{
    await LoadRun.RunAsync("GET /health/ready (database round trip)", workers, duration, _ => Task.FromResult(Get(NewClient(), "/health/ready"))),
    await LoadRun.RunAsync("GET /login (anonymous page)", workers, duration, _ => Task.FromResult(Get(NewClient(), "/login"))),
    await LoadRun.RunAsync("GET / (dashboard, signed in)", workers, duration, async _ => Get(await SignedInClient("nurse"), "/")),
    await LoadRun.RunAsync("GET /trust/wards/W07 (ward layout)", workers, duration, async _ => Get(await SignedInClient("nurse"), "/trust/wards/W07")),
    await LoadRun.RunAsync("GET /patients/{id} (LR check + audit)", workers, duration, async _ => Get(await SignedInClient("nurse"), $"/patients/{smith}")),
    await LoadRun.RunAsync("POST /login (sign-in, PBKDF2 100k)", Math.Min(workers, Environment.ProcessorCount), duration, _ =>
    {
        Func<Task<bool>> signIn = async () => { using var http = await SignedInClient("doctor"); return true; };
        return Task.FromResult(signIn);
    }),
};

Console.WriteLine($"{"workload",-40} {"requests",9} {"fail",5} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
foreach (var r in results)
{
    Console.WriteLine($"{r.Name,-40} {r.Requests,9} {r.Failures,5} {r.PerSecond,8:0.0} {r.P50,8:0.00} {r.P95,8:0.00} {r.P99,8:0.00} {r.Max,8:0.00}");
}
using var self = Process.GetCurrentProcess();
Console.WriteLine();
Console.WriteLine($"Peak working set (server + driver): {self.PeakWorkingSet64 / 1024.0 / 1024.0:0} MiB; managed heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:0} MiB");

await CleanUpAsync();

// The bench's database is thrown away: a million-patient PostgreSQL database is half a gigabyte.
async Task CleanUpAsync()
{
    await server.DisposeAsync();
    if (provider == StorageProvider.Sqlite)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
        {
            File.Delete(f);
        }
        return;
    }
    Npgsql.NpgsqlConnection.ClearAllPools();
    var target = new Npgsql.NpgsqlConnectionStringBuilder(connection);
    var database = target.Database!;
    target.Database = "postgres";
    await using var admin = new Npgsql.NpgsqlConnection(target.ConnectionString);
    await admin.OpenAsync();
    await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
    await drop.ExecuteNonQueryAsync();
}
