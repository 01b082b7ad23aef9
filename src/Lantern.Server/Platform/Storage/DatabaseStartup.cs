using Lantern.Server.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Lantern.Server.Platform.Storage;

/// <summary>Brings the database to the current schema at start-up and, in demo mode, seeds the demo trust.</summary>
public static partial class DatabaseStartup
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancel = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        // On an empty database Npgsql's migrator probes the history table by reading it and logs the expected
        // failure as an error; creating it first (idempotent DDL) keeps a fresh install's log free of false alarms.
        // (A missing database is left to MigrateAsync, which creates it.)
        if (await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancel))
        {
            var createHistory = db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript();
            await db.Database.ExecuteSqlRawAsync(createHistory, cancel);
        }
        await db.Database.MigrateAsync(cancel);
        if (db.Database.IsSqlite())
        {
            // WAL lets wards read while a clerk writes; it is a property of the file, so set once here.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancel);
        }
        var current = (await db.Database.GetAppliedMigrationsAsync(cancel)).LastOrDefault() ?? "none";
        Ready(log, db.Database.ProviderName ?? "unknown", current);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Database ready on {Provider} at migration {Migration}")]
    private static partial void Ready(ILogger log, string provider, string migration);

    public static async Task SeedDemoTrustIfEnabledAsync(IServiceProvider services, CancellationToken cancel = default)
    {
        var options = services.GetRequiredService<IOptions<LanternOptions>>().Value;
        if (!options.DemoMode)
        {
            return;
        }
        var environment = services.GetRequiredService<IHostEnvironment>();
        if (environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Lantern:DemoMode is on but ASPNETCORE_ENVIRONMENT is Production: demo accounts with published " +
                "passwords are refused in production. Turn DemoMode off.");
        }
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoTrustSeeder>().SeedIfEmptyAsync(cancel);
        await scope.ServiceProvider.GetRequiredService<Lantern.Server.Security.OAuth.DemoIntegrationClients>().SeedAsync(cancel);
    }
}
