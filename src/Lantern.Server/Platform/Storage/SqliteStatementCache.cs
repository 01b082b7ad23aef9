using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// Keeps SQLite's compiled statements for as long as a transaction keeps its connection open. EF Core makes a new
/// command for every statement, and Microsoft.Data.Sqlite compiles a command's SQL afresh each time (it keeps the
/// compiled form only on the command object), so a batch of HL7 messages compiled the same few statements once
/// per message: 18% of the batch's time (profiled). Inside a transaction a statement text met a second time is now
/// compiled once more, kept, and run again with new parameters from then on. Outside one (a read that opens and closes the connection),
/// commands are made and compiled as before. The cache goes when the connection closes: compiled statements
/// belong to the native connection, which goes back to the pool.
/// </summary>
internal sealed class SqliteStatementCache : DbCommandInterceptor
{
    /// <summary>Statement texts kept per open connection, at most (EF Core sends a bounded set; this caps the rest).</summary>
    private const int MaxPerConnection = 200;

    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, KeptCommand?>> Kept = new();

    public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result) =>
        eventData.Connection is SqliteConnection connection ? InterceptionResult<DbCommand>.SuppressWithResult(new ReusingCommand(connection)) : result;

    /// <summary>
    /// The kept command for this text on this open connection; null the first time a text is met (most statements of a
    /// short transaction run once, and are not worth keeping), when its command is busy, or when too many are kept.
    /// </summary>
    private static KeptCommand? For(SqliteConnection connection, string text) => Lookup(connection, text, keepAtFirstSight: false);

    /// <summary>
    /// The kept command for <paramref name="text"/> on this open connection, kept from its first use: for a statement
    /// run below EF Core that is known to run again (<see cref="MappedColumn.InsertEachAsync"/>). It keeps the parameters
    /// its caller gives it. Null when the connection is not open, the command is busy, or too many are kept.
    /// </summary>
    public static SqliteCommand? KeptFor(SqliteConnection connection, string text) => Lookup(connection, text, keepAtFirstSight: true);

    private static KeptCommand? Lookup(SqliteConnection connection, string text, bool keepAtFirstSight)
    {
        if (connection.State != ConnectionState.Open)
        {
            return null;
        }
        var commands = Kept.GetValue(connection, Watch);
        if (!commands.TryGetValue(text, out var kept))
        {
            if (commands.Count >= MaxPerConnection)
            {
                return null;
            }
            if (!keepAtFirstSight)
            {
                commands.Add(text, null); // seen once: kept if met again
                return null;
            }
        }
        if (kept is null)
        {
            kept = new KeptCommand { Connection = connection, CommandText = text };
            commands[text] = kept;
        }
        return kept.Busy ? null : kept;
    }

    /// <summary>
    /// A connection's cache, made once per connection object (which a pooled context keeps) and emptied, its commands
    /// disposed, whenever the connection closes.
    /// </summary>
    private static Dictionary<string, KeptCommand?> Watch(SqliteConnection connection)
    {
        var commands = new Dictionary<string, KeptCommand?>(StringComparer.Ordinal);
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState != ConnectionState.Open && commands.Count > 0)
            {
                foreach (var command in commands.Values)
                {
                    command?.Dispose();
                }
                commands.Clear();
            }
        };
        return commands;
    }

    /// <summary>A command kept for reuse; busy while a reader of its results is open.</summary>
    private sealed class KeptCommand : SqliteCommand
    {
        public bool Busy => DataReader is not null;
    }

    /// <summary>
    /// The command EF Core is given: it collects the text, parameters and transaction as any command does, and runs them
    /// on the connection's kept command for that text (or, where there is none, on a command of its own, as before).
    /// </summary>
    private sealed class ReusingCommand(SqliteConnection connection) : DbCommand
    {
        /// <summary>Holds the parameters EF Core adds (and makes them), and runs the statement when no kept command does.</summary>
        private readonly SqliteCommand own = new() { Connection = connection };

        [AllowNull]
        public override string CommandText { get => own.CommandText; set => own.CommandText = value; }

        public override int CommandTimeout { get => own.CommandTimeout; set => own.CommandTimeout = value; }

        public override CommandType CommandType { get => own.CommandType; set => own.CommandType = value; }

        public override bool DesignTimeVisible { get => own.DesignTimeVisible; set => own.DesignTimeVisible = value; }

        public override UpdateRowSource UpdatedRowSource { get => own.UpdatedRowSource; set => own.UpdatedRowSource = value; }

        protected override DbConnection? DbConnection
        {
            get => own.Connection;
            set => own.Connection = (SqliteConnection?)value;
        }

        protected override DbParameterCollection DbParameterCollection => own.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => own.Transaction;
            set => own.Transaction = (SqliteTransaction?)value;
        }

        public override void Cancel() => own.Cancel();

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => own.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Runner().ExecuteReader(behavior);

        public override int ExecuteNonQuery() => Runner().ExecuteNonQuery();

        public override object? ExecuteScalar() => Runner().ExecuteScalar();

        /// <summary>The kept command for this text, given this command's parameters and settings; else this command's own.</summary>
        private SqliteCommand Runner()
        {
            // Only inside a transaction: outside one the connection closes after this statement, and the cache with it.
            if (own.Transaction is null || own.Connection is not { } open || For(open, own.CommandText) is not { } kept)
            {
                return own;
            }
            kept.Transaction = own.Transaction;
            kept.CommandTimeout = own.CommandTimeout;
            kept.Parameters.Clear();
            foreach (SqliteParameter parameter in own.Parameters)
            {
                kept.Parameters.Add(parameter);
            }
            return kept;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                own.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
