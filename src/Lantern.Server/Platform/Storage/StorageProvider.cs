namespace Lantern.Server.Platform.Storage;

/// <summary>The database engines Lantern runs on: SQLite for a single machine, PostgreSQL for a trust.</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}

public static class StorageProviders
{
    public const string ConnectionStringName = "Lantern";
    public const string DefaultSqliteConnection = "Data Source=data/lantern.db";

    public static StorageProvider Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => StorageProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" or "NPGSQL" => StorageProvider.Postgres,
        _ => throw new InvalidOperationException(
            $"Storage:Provider '{value}' is not supported. Use 'Sqlite' or 'Postgres'."),
    };
}
