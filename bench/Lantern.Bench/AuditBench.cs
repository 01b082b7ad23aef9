using System.Diagnostics;
using Lantern.Server.Audit;
using Lantern.Server.Platform.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Bench;

/// <summary>
/// The cost of the audit trail: append latency and throughput through the real AuditTrail (hash chain,
/// one transaction per append, as a page read does), storage bytes per entry including indexes, and the
/// time to verify the whole chain.
/// </summary>
internal static class AuditBench
{
    public static async Task RunAsync(StorageProvider provider, string connection, int entries)
    {
        await using var server = new AuditHost(provider, connection);
        Console.WriteLine($"Audit benchmark: {provider}, {entries} appends, one per transaction, {Environment.ProcessorCount} cores");
        Guid patient;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            patient = await scope.ServiceProvider.GetRequiredService<LanternDb>().Patients.Where(p => p.FamilyName == "Smith").Select(p => p.Id).FirstAsync();
        }
        var before = await StorageBytesAsync(server, provider);
        var latencies = new double[entries];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < entries; i++)
        {
            await using var scope = server.Services.CreateAsyncScope();
            var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            var started = Stopwatch.GetTimestamp();
            // A typical read entry: a clinician opening a record on a ward relationship.
            await audit.SaveAsync(new AuditEvent(AuditAction.Read, "Patient", patient.ToString(), patient,
                "WardPatient: Ward 7 (Cardiology)", UserName: "nurse", Role: "Nurse"));
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var after = await StorageBytesAsync(server, provider);
        Array.Sort(latencies);

        await using var verifyScope = server.Services.CreateAsyncScope();
        var verifyClock = Stopwatch.StartNew();
        var verification = await verifyScope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync();
        var verifySeconds = verifyClock.Elapsed.TotalSeconds;

        Console.WriteLine($"appends/s {entries / seconds:0}  p50 {P(latencies, 50):0.00} ms  p95 {P(latencies, 95):0.00} ms  p99 {P(latencies, 99):0.00} ms  max {latencies[^1]:0.00} ms");
        Console.WriteLine($"storage: {(after - before) / (double)entries:0} bytes per entry (table + its 3 indexes and key, {provider} page accounting)");
        Console.WriteLine($"verify: {verification.EntriesChecked} entries in {verifySeconds:0.00} s ({verification.EntriesChecked / verifySeconds:0} entries/s), intact={verification.Intact}");
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"Peak working set: {self.PeakWorkingSet64 / 1024.0 / 1024.0:0} MiB");
    }

    private static double P(double[] sorted, int percentile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];

    private static async Task<long> StorageBytesAsync(AuditHost server, StorageProvider provider)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        if (provider == StorageProvider.Postgres)
        {
            return await db.Database.SqlQueryRaw<long>("SELECT pg_total_relation_size('\"AuditTrail\"') AS \"Value\"").SingleAsync();
        }
        // This SQLite build has no dbstat: measure the whole file's used pages (only the audit table grows meanwhile).
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        var pages = await db.Database.SqlQueryRaw<long>("SELECT page_count - freelist_count AS \"Value\" FROM pragma_page_count(), pragma_freelist_count()").SingleAsync();
        var pageSize = await db.Database.SqlQueryRaw<long>("SELECT page_size AS \"Value\" FROM pragma_page_size()").SingleAsync();
        return pages * pageSize;
    }
}

/// <summary>
/// The server's services in this process (the audit trail is measured as a library, with no HTTP): the chain head
/// is held per process, so appends must come from the process that owns the database, not beside a server.
/// </summary>
internal sealed class AuditHost(StorageProvider provider, string connection) : WebApplicationFactory<Lantern.Server.Platform.LanternOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSolutionRelativeContentRoot("src/Lantern.Server", solutionName: "Lantern.slnx");
        builder.UseEnvironment("Benchmark");
        foreach (var (key, value) in BenchServer.Settings(provider, connection, mllpPort: -1))
        {
            builder.UseSetting(key, value);
        }
    }
}
