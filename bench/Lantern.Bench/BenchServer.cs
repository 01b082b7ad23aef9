using Lantern.Server.Platform.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Bench;

/// <summary>
/// The real server on a loopback Kestrel port, on a fresh database seeded with the demo trust.
/// (Any server type names the entry assembly; the bench's own top-level Program would clash with the server's.)
/// </summary>
internal sealed class BenchServer : WebApplicationFactory<Lantern.Server.Platform.LanternOptions>
{
    private readonly StorageProvider provider;
    private readonly string connection;

    public BenchServer(StorageProvider provider, string connection)
    {
        this.provider = provider;
        this.connection = connection;
        UseKestrel(0);
        StartServer();
        BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSolutionRelativeContentRoot("src/Lantern.Server", solutionName: "Lantern.slnx");
        builder.UseEnvironment("Benchmark");
        builder.UseSetting("Storage:Provider", provider.ToString());
        builder.UseSetting("ConnectionStrings:Lantern", connection);
        builder.UseSetting("Lantern:DemoMode", "true");
        // The sign-in workload is one client address hammering /login on purpose.
        builder.UseSetting("Lantern:SignInAttemptsPerMinute", "1000000");
        builder.UseSetting("Lantern:RequireHttps", "false"); // plain HTTP on loopback: a closed rig
        // The MLLP listener on a free loopback port, taking the bench's own sending application.
        builder.UseSetting("Hl7v2:Listener:Port", "-1");
        builder.UseSetting("Hl7v2:AllowedSenders:0", Hl7Bench.Sender);
        // Request logs to the console would measure the terminal, not the server.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
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
