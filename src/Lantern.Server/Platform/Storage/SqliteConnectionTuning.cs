using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// Per-connection SQLite settings (SQLite forgets them on close). A busy timeout makes a writer that finds
/// the database locked wait inside SQLite, retrying within a millisecond or two of the lock's release;
/// without it Microsoft.Data.Sqlite's own retry sleeps in long fixed steps, which showed as a 150–200 ms
/// tail on concurrent registrations. The automatic checkpoint's threshold is raised from SQLite's 1,000 pages to
/// 10,000 (40 MiB of log): <see cref="SqliteCheckpointer"/> copies the log into the database beside the writer, and
/// this threshold is its backstop (a command-line run has no checkpointer). Durability is unchanged: WAL with
/// synchronous FULL.
/// </summary>
internal sealed class SqliteConnectionTuning : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA wal_autocheckpoint = 10000;";

    /// <summary>
    /// Native connections already tuned: Microsoft.Data.Sqlite pools them, so a pooled one keeps its settings and an
    /// open need not prepare and run the pragma again (it was one statement in three on a FHIR read).
    /// </summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Tuned = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsTuning(connection))
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!NeedsTuning(connection))
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool NeedsTuning(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } native } || Tuned.TryAdd(native, Tuned);
}
