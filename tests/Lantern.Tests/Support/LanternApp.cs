using Lantern.Server.Platform.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Lantern.Tests.Support;

/// <summary>
/// The real Lantern server in-process over the real HTTP pipeline, on its own fresh database
/// (a temp SQLite file, or a new PostgreSQL database), seeded with the demo trust.
/// </summary>
public sealed class LanternApp : WebApplicationFactory<Program>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?> settings;
    private bool ownsDatabase = true;

    /// <summary>A new database, to be copied from the template when the server first starts (once).</summary>
    private bool copyTemplate;

    public StorageProvider Provider { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider Clock { get; } = new(Start);

    private LanternApp(StorageProvider provider, string connection, IDictionary<string, string?>? extra)
    {
        Provider = provider;
        ConnectionString = connection;
        settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider.ToString(),
            ["ConnectionStrings:Lantern"] = connection,
            ["Lantern:DemoMode"] = "true",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    public static LanternApp Sqlite(IDictionary<string, string?>? settings = null) =>
        new(StorageProvider.Sqlite, NewConnection(StorageProvider.Sqlite), settings) { copyTemplate = true };

    /// <summary>Skips the calling test (with the reason) when no PostgreSQL server is configured.</summary>
    public static LanternApp Postgres(IDictionary<string, string?>? settings = null) =>
        new(StorageProvider.Postgres, NewConnection(StorageProvider.Postgres), settings) { copyTemplate = true };

    /// <summary>A server on an empty database, which it migrates and seeds itself (as on a trust's first start).</summary>
    public static LanternApp Empty(StorageProvider provider) => new(provider, NewConnection(provider), null);

    /// <summary>The server that makes a template database (<see cref="TemplateDatabases"/>); it leaves the database behind.</summary>
    internal static LanternApp Template(StorageProvider provider, string connection) => new(provider, connection, null) { ownsDatabase = false };

    public static LanternApp On(StorageProvider provider, IDictionary<string, string?>? settings = null) =>
        provider == StorageProvider.Postgres ? Postgres(settings) : Sqlite(settings);

    /// <summary>A new server over the same database, as after a restart (with <paramref name="changed"/> settings); it takes over deleting the database.</summary>
    public LanternApp Restart(IDictionary<string, string?>? changed = null)
    {
        ownsDatabase = false;
        var next = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in changed ?? new Dictionary<string, string?>())
        {
            next[key] = value;
        }
        return new(Provider, ConnectionString, next);
    }

    public static string NewSqliteFile() => Path.Combine(Path.GetTempPath(), $"lantern-test-{Guid.NewGuid():N}.db");

    /// <summary>A connection string for a database of its own that does not exist yet (a temp file, or a new PostgreSQL name).</summary>
    public static string NewConnection(StorageProvider provider) =>
        provider == StorageProvider.Postgres ? TestPostgres.NewDatabaseConnection() : $"Data Source={NewSqliteFile()}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The template was seeded in demo mode at the usual start time; a server that differs seeds its own.
        if (copyTemplate && settings["Lantern:DemoMode"] == "true" && Clock.GetUtcNow() == Start)
        {
            TemplateDatabases.CopyTo(Provider, ConnectionString);
        }
        copyTemplate = false;
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // Passwords hashed at 1,000 PBKDF2 rounds rather than 100,000: each sign-in's check cost ~0.2 s of CPU, and
            // the suite signs in hundreds of times. Same hasher, same format; the real server's strength is checked
            // in CommandLineTests, on a server process of its own.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
        });
    }

    /// <summary>Runs <paramref name="work"/> against the app's database in its own scope.</summary>
    public async Task<T> WithDbAsync<T>(Func<LanternDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<LanternDb>());
    }

    public HttpClient NewBrowserlessClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = ClientOptions.BaseAddress });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase)
        {
            await DeleteDatabaseAsync(Provider, ConnectionString);
        }
    }

    /// <summary>A test database opened directly, without a server (the schema must exist).</summary>
    public static LanternDb OpenDatabase(StorageProvider provider, string connection) => provider == StorageProvider.Sqlite
        ? new LanternSqliteDb(new DbContextOptionsBuilder<LanternSqliteDb>().UseSqlite(connection).Options)
        : new LanternPostgresDb(new DbContextOptionsBuilder<LanternPostgresDb>().UseNpgsql(connection).Options);

    /// <summary>Removes a test database: the PostgreSQL database, or the SQLite file with its WAL and shared-memory files.</summary>
    public static async Task DeleteDatabaseAsync(StorageProvider provider, string connection)
    {
        if (provider == StorageProvider.Postgres)
        {
            await using var db = OpenDatabase(provider, connection);
            await db.Database.EnsureDeletedAsync();
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource;
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(path);
        }
    }
}
