using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// Per-connection SQLite settings (SQLite forgets them on close). A busy timeout makes a writer that finds
/// the database locked wait inside SQLite, retrying within a millisecond or two of the lock's release;
/// without it Microsoft.Data.Sqlite's own retry sleeps in long fixed steps, which showed as a 150–200 ms
/// tail on concurrent registrations. Durability is unchanged: WAL with synchronous FULL.
/// </summary>
internal sealed class SqliteConnectionTuning : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
