using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lantern.Server.Platform.Storage;

namespace Lantern.Bench;

/// <summary>
/// What a run measured, kept as the suites print it: every workload row, each suite's dataset (load time, database
/// size, peak memory), and the machine and commit, written as <c>&lt;date&gt;-&lt;provider&gt;.json</c> and a Markdown
/// table so that runs can be compared across commits and machines.
/// </summary>
internal static class BenchReport
{
    public sealed record Row(string Suite, string Workload, int Concurrency, int Requests, int Failures, double PerSecond,
        double P50Ms, double P95Ms, double P99Ms, double MaxMs);

    public sealed record Dataset(string Suite, int Patients, double LoadSeconds, long DatabaseBytes, long ServerPeakRssBytes, long BenchPeakBytes, string Description);

    public sealed record Machine(int Cores, long MemoryBytes, string Os, string Runtime, string Build);

    /// <summary>The build measured: Release for figures, Debug for CI's quick run (whose server its tests have built).</summary>
    public static string Build { get; } = typeof(BenchReport).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false).OfType<System.Reflection.AssemblyConfigurationAttribute>()
        .FirstOrDefault()?.Configuration ?? "unknown";

    public sealed record Report(string Commit, DateTimeOffset At, string Provider, bool Quick, int SecondsPerWorkload, Machine Machine,
        IReadOnlyList<Dataset> Datasets, IReadOnlyList<Row> Rows, double TotalSeconds);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly List<Row> Rows = [];
    private static readonly List<Dataset> Datasets = [];
    private static double loadSeconds;
    private static string commit = "unknown";

    /// <summary>Requests that failed in the whole run.</summary>
    public static int Failures => Rows.Sum(r => r.Failures);

    /// <summary>The suite now running: its rows are filed under it.</summary>
    public static string Suite { get; set; } = "";

    public static void Add(LoadRun.Result r, int workers) =>
        Rows.Add(new(Suite, r.Name, workers, r.Requests, r.Failures, Math.Round(r.PerSecond, 1), Math.Round(r.P50, 2), Math.Round(r.P95, 2), Math.Round(r.P99, 2), Math.Round(r.Max, 2)));

    /// <summary>Notes the commit being measured, as the run starts (edits made while it runs are not in its binary).</summary>
    public static async Task BeginAsync() => commit = await CommitAsync();

    /// <summary>How long the suite's bulk load took (printed by the suite as well).</summary>
    public static void Loaded(TimeSpan took) => loadSeconds = took.TotalSeconds;

    /// <summary>Closes the suite's entry: what it ran on, read from the server before its database is dropped.</summary>
    public static async Task DatasetAsync(BenchServer server, string description)
    {
        Datasets.Add(new(Suite, await server.PatientCountAsync(), Math.Round(loadSeconds, 1), await server.DatabaseBytesAsync(),
            server.PeakRssBytes, Process.GetCurrentProcess().PeakWorkingSet64, description));
        loadSeconds = 0;
    }

    /// <summary>Writes the JSON and the Markdown table into <paramref name="folder"/>; returns the JSON file's path.</summary>
    public static async Task<string> WriteAsync(string folder, StorageProvider provider, bool quick, int seconds, double totalSeconds)
    {
        var report = new Report(commit, DateTimeOffset.UtcNow, provider.ToString(), quick, seconds,
            new Machine(Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, Build),
            Datasets, Rows, Math.Round(totalSeconds, 1));
        Directory.CreateDirectory(folder);
        var name = $"{report.At:yyyy-MM-dd}-{provider.ToString().ToLowerInvariant()}{(quick ? "-quick" : "")}";
        var json = Path.Combine(folder, name + ".json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, Json));
        await File.WriteAllTextAsync(Path.Combine(folder, name + ".md"), Markdown(report));
        return json;
    }

    public static string Markdown(Report report)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# Lantern benchmark: {report.Provider}{(report.Quick ? " (quick)" : "")}, {report.At:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(c, $"Commit `{report.Commit}`; {report.Machine.Cores} cores, {report.Machine.MemoryBytes / 1073741824.0:0.0} GiB; {report.Machine.Os}; {report.Machine.Runtime}. " +
            $"Server in its own process ({report.Machine.Build}, server GC), load driver and bulk loader in the bench process, over loopback on the same machine; " +
            $"{report.SecondsPerWorkload} s per workload; whole run {report.TotalSeconds:0} s.");
        md.AppendLine();
        md.AppendLine("| suite | patients | bulk load | database | server peak RSS | bench peak (driver + loader, so far) | dataset |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var d in report.Datasets)
        {
            md.AppendLine(c, $"| {d.Suite} | {d.Patients:N0} | {d.LoadSeconds:0.0} s | {d.DatabaseBytes / 1048576.0:0} MiB | {d.ServerPeakRssBytes / 1048576.0:0} MiB | {d.BenchPeakBytes / 1048576.0:0} MiB | {d.Description} |");
        }
        md.AppendLine();
        md.AppendLine("| suite | operation | concurrency | requests | errors | per second | p50 ms | p95 ms | p99 ms | max ms |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Rows)
        {
            md.AppendLine(c, $"| {r.Suite} | {r.Workload.Replace("|", "\\|", StringComparison.Ordinal)} | {r.Concurrency} | {r.Requests:N0} | {r.Failures} | {r.PerSecond:N1} | {r.P50Ms:0.00} | {r.P95Ms:0.00} | {r.P99Ms:0.00} | {r.MaxMs:0.00} |");
        }
        return md.ToString();
    }

    /// <summary>The commit measured (git's HEAD, marked when the working tree has changes), or "unknown" outside a checkout.</summary>
    private static async Task<string> CommitAsync()
    {
        try
        {
            var head = (await GitAsync("rev-parse --short HEAD")).Trim();
            var dirty = (await GitAsync("status --porcelain --untracked-files=no")).Trim().Length > 0;
            return head.Length == 0 ? "unknown" : head + (dirty ? " (with uncommitted changes)" : "");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static async Task<string> GitAsync(string arguments)
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = await git.StandardOutput.ReadToEndAsync();
        await git.WaitForExitAsync();
        return git.ExitCode == 0 ? output : "";
    }
}
