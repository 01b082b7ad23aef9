using Lantern.Server.Platform.Storage;
using Npgsql;

namespace Lantern.Tests.Support;

/// <summary>
/// One migrated database with the demo trust seeded, made once per test run and engine by the server's own start-up
/// (migrate, seed), from which each test's fresh database is copied: a file copy on SQLite, CREATE DATABASE …
/// TEMPLATE on PostgreSQL. A test server migrating and seeding its own took 1-2.7 s to start on a two-core machine,
/// one started from a copy 0.3-0.8 s, and most of the suite's tests start one. Tests of migrating or seeding an empty database ask
/// for an empty one (<see cref="LanternApp.Empty"/>).
/// </summary>
internal static class TemplateDatabases
{
    private static readonly Lazy<string> Sqlite = new(() => Build(StorageProvider.Sqlite));
    private static readonly Lazy<string> Postgres = new(() => Build(StorageProvider.Postgres));

    /// <summary>Fills the (not yet existing) database <paramref name="connection"/> with a copy of the template.</summary>
    public static void CopyTo(StorageProvider provider, string connection)
    {
        if (provider == StorageProvider.Sqlite)
        {
            File.Copy(SqliteFile(Sqlite.Value), SqliteFile(connection));
            return;
        }
        var (template, target) = (new NpgsqlConnectionStringBuilder(Postgres.Value), new NpgsqlConnectionStringBuilder(connection));
        // On the server's maintenance database: the new one does not exist yet.
        using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection) { Database = "postgres", Pooling = false }.ConnectionString);
        admin.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database}\" TEMPLATE \"{template.Database}\"", admin);
        create.ExecuteNonQuery();
    }

    private static string Build(StorageProvider provider)
    {
        var connection = LanternApp.NewConnection(provider);
        // Off the caller's thread and synchronisation context: the template's own server starts and stops inside.
        Task.Run(async () =>
        {
            var app = LanternApp.Template(provider, connection);
            await using (app)
            {
                _ = app.Services; // starts it: migrate, then seed the demo trust
            }
        }).GetAwaiter().GetResult();
        if (provider == StorageProvider.Sqlite)
        {
            // Everything into the main file, so that copying that file alone copies the database.
            using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection(connection);
            sqlite.Open();
            using var checkpoint = sqlite.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(sqlite);
        }
        else
        {
            // CREATE DATABASE … TEMPLATE needs the template to have no session open (the server's pool has its own
            // connection string, with its statement settings; other tests' idle connections just open again).
            NpgsqlConnection.ClearAllPools();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => LanternApp.DeleteDatabaseAsync(provider, connection).GetAwaiter().GetResult();
        return connection;
    }

    private static string SqliteFile(string connection) => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource;
}
