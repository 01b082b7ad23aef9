using System.Diagnostics;

namespace Lantern.Bench;

/// <summary>
/// Drives one request shape with a fixed number of concurrent workers for a bounded time against
/// loopback only, and reports throughput and latency percentiles.
/// </summary>
internal static class LoadRun
{
    public sealed record Result(string Name, int Requests, int Failures, double Seconds, double P50, double P95, double P99, double Max)
    {
        public double PerSecond => Requests / Seconds;
    }

    /// <param name="afterWarmUp">Run between the warm-up and the measured run (a statistics refresh).</param>
    public static async Task<Result> RunAsync(string name, int workers, TimeSpan duration,
        Func<int, Task<Func<Task<bool>>>> newWorker, Func<Task>? afterWarmUp = null)
    {
        var calls = new List<Func<Task<bool>>>();
        for (var i = 0; i < workers; i++)
        {
            calls.Add(await newWorker(i));
        }
        // Warm-up, not measured: connections, query plans, and the server's JIT (a fresh server process runs its
        // first calls as quick tier-0 code and recompiles the busy ones after a while). Its failures still count.
        // Five seconds: with two, a suite's first workload was still being recompiled while measured (HL7 A28 ~1,757/s
        // after 2 s, ~2,000/s after 6 s, two alternating rounds; a 100 ms stall in each 2 s run).
        var failures = 0;
        await DriveAsync(calls, TimeSpan.FromSeconds(Math.Min(5, duration.TotalSeconds / 2)), () => Interlocked.Increment(ref failures));
        if (afterWarmUp is not null)
        {
            await afterWarmUp();
        }

        var (latencies, seconds) = await DriveAsync(calls, duration, () => Interlocked.Increment(ref failures));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(name, all.Length, failures, seconds, Percentile(all, 50), Percentile(all, 95), Percentile(all, 99), all[^1]);
    }

    /// <summary>Every worker calling in a loop until <paramref name="duration"/> has passed (each at least once).</summary>
    private static async Task<(List<double>[] Latencies, double Seconds)> DriveAsync(List<Func<Task<bool>>> calls, TimeSpan duration, Action failed)
    {
        var latencies = new List<double>[calls.Count];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, calls.Count).Select(async w =>
        {
            var mine = latencies[w] = [];
            do
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await calls[w]();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    failed();
                }
            }
            while (clock.Elapsed < duration);
        }));
        return (latencies, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The table header the suites print, the workload column <paramref name="width"/> wide.</summary>
    public static void PrintHeader(int width) =>
        Console.WriteLine($"{"workload".PadRight(width)} {"conc",4} {"requests",9} {"fail",5} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");

    /// <summary>One row of that table, kept for the run's report too.</summary>
    public static void Print(Result r, int workers, int width)
    {
        BenchReport.Add(r, workers);
        Console.WriteLine($"{r.Name.PadRight(width)} {workers,4} {r.Requests,9} {r.Failures,5} {r.PerSecond,8:0.0} {r.P50,8:0.00} {r.P95,8:0.00} {r.P99,8:0.00} {r.Max,8:0.00}");
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
