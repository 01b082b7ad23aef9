using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Bench;

/// <summary>
/// The real server, the build beside the bench (Release for figures), as its own process on loopback ports (HTTP and
/// MLLP), on a fresh database that it migrates and seeds with the demo trust as it would in production: its own
/// runtime settings (server GC), its own memory (peak RSS measured from outside), its own threads. The bench keeps
/// only a database context of its own (<see cref="Services"/>) for bulk loads and counts, which go straight to the
/// database as a trust's migration tooling would.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);

    private readonly StorageProvider provider;
    private readonly string connection;
    private readonly Process process;
    private readonly ServiceProvider services;
    private readonly ConcurrentQueue<string> output = new();
    private long peakRssBytes;

    private BenchServer(StorageProvider provider, string connection, Process process, ServiceProvider services, Uri baseAddress, IPEndPoint mllp)
    {
        (this.provider, this.connection, this.process, this.services, BaseAddress, MllpEndpoint) = (provider, connection, process, services, baseAddress, mllp);
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>Where the server's MLLP listener takes HL7 v2 messages.</summary>
    public IPEndPoint MllpEndpoint { get; }

    /// <summary>A database context of the bench's own, on the server's database (bulk loads and counts only).</summary>
    public IServiceProvider Services => services;

    /// <summary>The server process's peak resident memory so far (Linux VmHWM).</summary>
    /// <summary>CPU time the server process has used so far (every thread, user and kernel).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public long PeakRssBytes
    {
        get
        {
            if (!process.HasExited)
            {
                process.Refresh();
                peakRssBytes = Math.Max(peakRssBytes, process.PeakWorkingSet64);
            }
            return peakRssBytes;
        }
    }

    /// <summary>
    /// Starts the server on <paramref name="connection"/> and waits until /health/ready answers, then (with
    /// <paramref name="settle"/>) until its start-up work is done; a quick run, whose figures are not judged, does not wait.
    /// </summary>
    /// <param name="warmUpFhir">
    /// Whether the server compiles its FHIR validation profile at start, as deployed: a quick run's suites that make no
    /// FHIR writes leave it out, to spare the CPU (about 15 s of a core per server in a Debug build) that CI shares
    /// between both engines' runs.
    /// </param>
    public static async Task<BenchServer> StartAsync(StorageProvider provider, string connection, bool settle = true, bool warmUpFhir = true)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Lantern.Server.dll");
        var contentRoot = ContentRoot();
        var (http, mllp) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = contentRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(server);
        // By environment, as a service manager would: the server's own arguments are its commands.
        start.Environment["Urls"] = $"http://127.0.0.1:{http}"; // over appsettings.json's Urls
        start.Environment["ASPNETCORE_CONTENTROOT"] = contentRoot;
        foreach (var (key, value) in Settings(provider, connection, mllp))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Benchmark";
        if (!warmUpFhir)
        {
            start.Environment["Fhir__Validation__WarmUpAtStart"] = "false";
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(provider, connection, mllp)!).Build();
        var data = new ServiceCollection().AddLogging().AddLanternStorage(configuration, contentRoot).BuildServiceProvider();
        var bench = new BenchServer(provider, connection, process, data, new Uri($"http://127.0.0.1:{http}"), new IPEndPoint(IPAddress.Loopback, mllp));
        await bench.WaitUntilReadyAsync();
        if (settle)
        {
            await bench.WaitUntilIdleAsync();
        }
        return bench;
    }

    /// <summary>
    /// The server's configuration for the rig (environment variables for the process, in-memory for the bench's own
    /// context and the audit suite's host); an MLLP port of -1 is any free one.
    /// </summary>
    internal static Dictionary<string, string> Settings(StorageProvider provider, string connection, int mllpPort) => new()
    {
        ["Storage:Provider"] = provider.ToString(),
        ["ConnectionStrings:Lantern"] = connection,
        ["Lantern:DemoMode"] = "true",
        // The sign-in workload is one client address hammering /login on purpose.
        ["Lantern:SignInAttemptsPerMinute"] = "1000000",
        ["Lantern:RequireHttps"] = "false", // plain HTTP on loopback: a closed rig
        ["Hl7v2:Listener:Port"] = mllpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hl7v2:AllowedSenders:0"] = Hl7Bench.Sender,
        // Request logs to the console would measure the pipe to the bench, not the server.
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartLimit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server stopped with exit code {process.ExitCode} while starting:\n{string.Join('\n', output)}");
            }
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The server was not ready within {StartLimit.TotalMinutes:0} minutes:\n{string.Join('\n', output)}");
    }

    /// <summary>
    /// Ready is not yet settled: at start the server compiles validation profiles in the background (seconds of CPU),
    /// which would be measured against the first workload. Waits until it uses under a tenth of a core.
    /// </summary>
    private async Task WaitUntilIdleAsync()
    {
        var waited = Stopwatch.StartNew();
        var before = process.TotalProcessorTime;
        while (waited.Elapsed < StartLimit)
        {
            await Task.Delay(500);
            process.Refresh();
            var busy = process.TotalProcessorTime - before;
            before = process.TotalProcessorTime;
            if (busy < TimeSpan.FromMilliseconds(50))
            {
                return;
            }
        }
    }

    /// <summary>src/Lantern.Server, found from the bench's own folder (its wwwroot and appsettings.json are the server's content).</summary>
    private static string ContentRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Lantern.slnx")))
            {
                return Path.Combine(folder.FullName, "src", "Lantern.Server");
            }
        }
        throw new InvalidOperationException("Run the bench from the Lantern repository (Lantern.slnx not found above it)");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The last lines the server wrote, for the error when it fails to start.</summary>
    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        output.Enqueue(line);
        while (output.Count > 40 && output.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _ = PeakRssBytes;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        await services.DisposeAsync();
    }

    public async Task<string> DatasetAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        return $"{await db.Wards.CountAsync()} wards, {await db.Beds.CountAsync()} beds, {await db.Clinics.CountAsync()} clinics, " +
            $"{await db.Users.CountAsync()} staff accounts";
    }

    public async Task<int> PatientCountAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LanternDb>().Patients.CountAsync();
    }

    /// <summary>The whole database on disk: the SQLite file with its WAL, or pg_database_size.</summary>
    public async Task<long> DatabaseBytesAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        if (provider == StorageProvider.Postgres)
        {
            return await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync();
        }
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource;
        return new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
    }

    /// <summary>
    /// PostgreSQL: table statistics brought up to date (ANALYZE), as autovacuum does in a running system within a
    /// minute or so. A workload's tables start empty or just bulk-loaded, and the plans its prepared statements
    /// cache then (a filter over a whole table where an index seek is right) would otherwise last the whole short
    /// run: HL7 figures varied twofold from run to run with them. SQLite plans without statistics: nothing to do.
    /// </summary>
    public async Task RefreshStatisticsAsync()
    {
        if (provider != StorageProvider.Postgres)
        {
            return;
        }
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LanternDb>().Database.ExecuteSqlRawAsync("ANALYZE");
    }

    public async Task<int> InboundCountAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LanternDb>().InboundMessages.CountAsync();
    }

    public async Task<Guid> PatientIdAsync(string familyName)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        return await db.Patients.Where(p => p.FamilyName == familyName).OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync();
    }
}
