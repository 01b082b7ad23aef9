using Microsoft.Data.Sqlite;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// Copies committed pages from SQLite's write-ahead log into the database file on a thread of its own. SQLite's
/// automatic checkpoint runs inside whichever commit takes the log past its threshold, so the one writer (the HL7
/// inbox's applier, a clerk's save) stopped every ten or so commits to copy a thousand pages and flush the file
/// twice. A passive checkpoint waits for no reader or writer, so this one runs beside the writer; the writer's own
/// threshold (<see cref="SqliteConnectionTuning"/>) stays as a backstop, and when it is crossed there is little left
/// to copy, after which the log starts again from its beginning. Durability is unchanged: a transaction is durable
/// when its commit has flushed the log (synchronous FULL), whoever later copies it into the database file.
/// </summary>
internal sealed partial class SqliteCheckpointer(string connection, ILogger<SqliteCheckpointer> log) : BackgroundService
{
    /// <summary>How soon it looks again while the log is growing, and when it is not.</summary>
    private static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(50), Quiet = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield(); // the host's start goes on meanwhile
        // The file's own connection, opened without creating the file: until the server has migrated it, there is nothing to copy.
        var builder = new SqliteConnectionStringBuilder(connection) { Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        long lastFrames = -1;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var db = new SqliteConnection(builder.ToString());
                await db.OpenAsync(stopping);
                while (!stopping.IsCancellationRequested)
                {
                    var frames = await CheckpointAsync(db, stopping);
                    var growing = frames != lastFrames;
                    lastFrames = frames;
                    await Task.Delay(growing ? Busy : Quiet, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SqliteException e)
            {
                // Not yet created, or the disk went away: the writer's own checkpoint goes on meanwhile.
                LogCheckpointFailed(log, e);
                await Task.Delay(Quiet, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One passive checkpoint; the number of frames the log then holds (-1 when the file is not in WAL mode).</summary>
    private static async Task<long> CheckpointAsync(SqliteConnection db, CancellationToken cancel)
    {
        await using var command = db.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(cancel);
        return await reader.ReadAsync(cancel) ? reader.GetInt64(1) : -1;
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "SQLite checkpoint not run; the writer's own checkpoint goes on")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception e);
}
