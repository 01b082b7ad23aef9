using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Lantern.Bench;
using Lantern.Server.Demo;
using Lantern.Server.Platform.Storage;

// Platform benchmark: the pages every member of staff hits all day, over real HTTP on loopback.
// dotnet run -c Release --project bench/Lantern.Bench -- all [--quick] [--patients 1000000] [--provider sqlite|postgres] [--out bench/results]
//     (every suite below in turn, each on a fresh database, then bench/results/<date>-<provider>.json and .md)
// dotnet run -c Release --project bench/Lantern.Bench -- [--provider sqlite|postgres] [--connection "..."]
//     [--seconds 10] [--workers 8] [--suite audit [--entries 20000]] [--suite mpi [--patients 1000000] [--concurrency 1,16]]
//     [--suite adt [--patients 1000000] [--beds 1000] [--concurrency 1,16]]
//     [--suite fhir [--patients 1000000] [--concurrency 1,16] [--synthea <folder of bundles>] [--import-parallel 2] [--bundle <entries>]]
//     [--suite validate --synthea <folder of bundles>]
//     [--suite hl7 [--concurrency 1,16] [--workloads A28,A31,Move]]
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
if (options.GetValueOrDefault("suite") == "validate")
{
    await ValidationBench.RunAsync(options.GetValueOrDefault("synthea") ?? throw new InvalidOperationException("--synthea <folder of bundles> is needed"));
    return;
}
var provider = StorageProviders.Parse(options.GetValueOrDefault("provider", "sqlite"));
// "all --quick": every suite on a small hospital for a few seconds each, so that CI keeps the harness working (its figures are not judged).
var all = args.FirstOrDefault() == "all";
var quick = all && options.ContainsKey("quick");
int Number(string name, int otherwise) => int.Parse(options.GetValueOrDefault(name, otherwise.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var seconds = Number("seconds", quick ? 2 : 10);
var workers = Number("workers", 8);
var patients = Number("patients", quick ? 10_000 : 1_000_000);
var concurrency = options.GetValueOrDefault("concurrency", quick ? "4" : "1,16").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var duration = TimeSpan.FromSeconds(seconds);
if (!quick && BenchReport.Build != "Release")
{
    Console.Error.WriteLine($"Warning: a {BenchReport.Build} build; figures are comparable only from Release (dotnet run -c Release)");
}

if (all)
{
    var run = Stopwatch.StartNew();
    await BenchReport.BeginAsync();
    foreach (var suite in new[] { "mpi", "adt", "fhir", "hl7" })
    {
        BenchReport.Suite = suite;
        var (suiteServer, suiteConnection) = await StartAsync(warmUpFhir: !quick || suite == "fhir");
        try
        {
            Console.WriteLine();
            await RunSuiteAsync(suite, suiteServer);
            await BenchReport.DatasetAsync(suiteServer, await suiteServer.DatasetAsync());
        }
        finally
        {
            await CleanUpAsync(suiteServer, suiteConnection);
        }
    }
    var file = await BenchReport.WriteAsync(options.GetValueOrDefault("out", Path.Combine("bench", "results")), provider, quick, seconds, run.Elapsed.TotalSeconds);
    Console.WriteLine();
    Console.WriteLine(await File.ReadAllTextAsync(Path.ChangeExtension(file, ".md")));
    Console.WriteLine($"Results written to {file} and {Path.ChangeExtension(file, ".md")}");
    if (BenchReport.Failures > 0)
    {
        // A request that fails is a broken server or harness, whatever the figures: CI's quick run must see it.
        Console.Error.WriteLine($"{BenchReport.Failures} request(s) failed: see the errors column");
        Environment.ExitCode = 1;
    }
    return;
}

if (options.GetValueOrDefault("suite") == "audit")
{
    var auditDatabase = NewDatabase();
    await AuditBench.RunAsync(provider, auditDatabase, Number("entries", 20_000));
    await DropAsync(auditDatabase);
    return;
}
var (server, connection) = await StartAsync();
if (options.GetValueOrDefault("suite") is "fhir" or "hl7" or "adt" or "mpi")
{
    BenchReport.Suite = options["suite"];
    await RunSuiteAsync(options["suite"], server);
    await CleanUpAsync(server, connection);
    return;
}

// A fresh server process on a fresh database, which it creates and seeds with the demo trust.
async Task<(BenchServer Server, string Connection)> StartAsync(bool warmUpFhir = true)
{
    var database = NewDatabase();
    return (await BenchServer.StartAsync(provider, database, settle: !quick, warmUpFhir), database);
}

// A temporary SQLite file, or a new PostgreSQL database.
string NewDatabase() => provider == StorageProvider.Sqlite
    ? $"Data Source={Path.Combine(Path.GetTempPath(), $"lantern-bench-{Guid.NewGuid():N}.db")}"
    : (options.GetValueOrDefault("connection") ?? Environment.GetEnvironmentVariable("LANTERN_TEST_POSTGRES")
        ?? throw new InvalidOperationException("--connection (or LANTERN_TEST_POSTGRES) is needed for postgres"))
        + $";Database=lantern_bench_{Guid.NewGuid():N}";

Task RunSuiteAsync(string suite, BenchServer on) => suite switch
{
    "fhir" => FhirBench.RunAsync(on, provider, patients, concurrency, duration, options.GetValueOrDefault("synthea"), Number("import-parallel", 2), Number("bundle", 0)),
    "hl7" => Hl7Bench.RunAsync(on, provider, concurrency, duration, options.GetValueOrDefault("workloads")?.Split(',')),
    "adt" => AdtBench.RunAsync(on, provider, patients, Number("beds", quick ? 200 : 1000), quick ? 30 : 365, concurrency, duration, user => SignInAsync(on, user)),
    _ => MpiBench.RunAsync(on, provider, patients, concurrency, duration, user => SignInAsync(on, user)),
};

HttpClient NewClient(BenchServer on) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    { BaseAddress = on.BaseAddress };

async Task<HttpClient> SignInAsync(BenchServer on, string user)
{
    var http = NewClient(on);
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

Task<HttpClient> SignedInClient(string user) => SignInAsync(server, user);

HttpClient NewPlainClient() => NewClient(server);

Console.WriteLine($"Lantern platform benchmark: {provider}, {workers} workers, {seconds} s per workload, {Environment.ProcessorCount} cores");
Console.WriteLine($"Dataset: {await server.DatasetAsync()}");
Console.WriteLine("Server in its own process; load driver in this one, on the same machine (loopback HTTP).");
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
    await LoadRun.RunAsync("GET /health/ready (database round trip)", workers, duration, _ => Task.FromResult(Get(NewPlainClient(), "/health/ready"))),
    await LoadRun.RunAsync("GET /login (anonymous page)", workers, duration, _ => Task.FromResult(Get(NewPlainClient(), "/login"))),
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
Console.WriteLine();
Console.WriteLine($"Server peak RSS: {server.PeakRssBytes / 1048576.0:0} MiB");

await CleanUpAsync(server, connection);

// The bench's database is thrown away: a million-patient PostgreSQL database is half a gigabyte.
async Task CleanUpAsync(BenchServer used, string connection)
{
    await used.DisposeAsync();
    await DropAsync(connection);
}

async Task DropAsync(string connection)
{
    if (provider == StorageProvider.Sqlite)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var sqliteFile = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource;
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
