using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// Appends new rows of a mapped type without tracking them: one INSERT of up to <see cref="Chunk"/> rows at a time, in
/// the context's current transaction, with EF Core's own table and column names, type mappings and value conversions,
/// so a row reads back exactly as if EF Core had saved it. Columns the database generates (an identity key) are left
/// to it. For rows that are only ever added, many at once (<see cref="LanternDb.Append{T}"/>).
/// </summary>
internal static class RowAppender
{
    /// <summary>
    /// Rows per statement. SQLite finds each parameter by name with a walk along the statement's names, so binding a
    /// statement of n parameters costs n²: 32 rows of 13 columns spent more in that walk than the change tracker did.
    /// PostgreSQL's driver has no such cost, and each statement there is a round trip.
    /// </summary>
    private static int Chunk(LanternDb db) => db.Database.IsSqlite() ? 1 : MaxChunk;

    private const int MaxChunk = 32;

    private static readonly ConditionalWeakTable<IModel, Dictionary<Type, Table>> Tables = new();

    public static async Task AppendAsync(LanternDb db, Type type, IReadOnlyList<object> rows, CancellationToken cancel)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Rows are appended inside a transaction, which commits or rolls back all of them");
        var table = TableOf(db, type);
        var chunk = Chunk(db);
        // A command of its own rather than EF Core's raw SQL, whose per-statement work (a command built and its text
        // formatted each time) cost as much again as the insert: the same text keeps its compiled statement.
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        for (var start = 0; start < rows.Count; start += chunk)
        {
            var count = Math.Min(chunk, rows.Count - start);
            command.CommandText = table.Insert(count);
            command.Parameters.Clear();
            for (var row = 0; row < count; row++)
            {
                for (var column = 0; column < table.Columns.Length; column++)
                {
                    var (property, mapping) = table.Columns[column];
                    command.Parameters.Add(mapping.CreateParameter(command, table.ParameterName(row, column),
                        property.GetGetter().GetClrValue(rows[start + row]), property.IsNullable));
                }
            }
            await command.ExecuteNonQueryAsync(cancel);
        }
    }

    private static Table TableOf(LanternDb db, Type type)
    {
        var tables = Tables.GetValue(db.Model, _ => []);
        lock (tables)
        {
            if (!tables.TryGetValue(type, out var table))
            {
                table = new Table(db, db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped"));
                tables.Add(type, table);
            }
            return table;
        }
    }

    /// <summary>A mapped table's insertable columns, and its INSERT statement for each number of rows (made once).</summary>
    private sealed class Table
    {
        private readonly string head;
        private readonly string?[] inserts = new string?[MaxChunk + 1];
        private readonly string[] parameterNames;
        private readonly string[] placeholders;

        public (IProperty Property, RelationalTypeMapping Mapping)[] Columns { get; }

        public Table(LanternDb db, IEntityType entity)
        {
            if (entity.GetProperties().Any(p => p.IsShadowProperty() || (p.ValueGenerated != ValueGenerated.Never && !IsIdentity(p)))
                || entity.GetComplexProperties().Any() || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
            {
                throw new InvalidOperationException($"{entity.DisplayName()} has shadow, generated, complex or owned values: append it through the change tracker");
            }
            var sql = db.GetService<ISqlGenerationHelper>();
            var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            Columns = [.. entity.GetProperties().Where(p => !IsIdentity(p))
                .Select(p => (p, (RelationalTypeMapping)p.GetTypeMapping()))];
            var names = Enumerable.Range(0, MaxChunk * Columns.Length).Select(i => $"p{i}").ToArray();
            parameterNames = [.. names.Select(sql.GenerateParameterName)];
            placeholders = [.. names.Select(sql.GenerateParameterNamePlaceholder)];
            head = $"INSERT INTO {sql.DelimitIdentifier(store.Name, store.Schema)} ({string.Join(", ",
                Columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(store)!)))}) VALUES ";
        }

        /// <summary>An integer key the database numbers: the only column left out.</summary>
        private static bool IsIdentity(IProperty property) =>
            property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && (property.ClrType == typeof(long) || property.ClrType == typeof(int));

        /// <summary>The statement for <paramref name="rows"/> rows, its parameters named row by row (<see cref="ParameterName"/>).</summary>
        public string Insert(int rows) => inserts[rows] ??= head + string.Join(", ", Enumerable.Range(0, rows).Select(row =>
            "(" + string.Join(", ", Enumerable.Range(0, Columns.Length).Select(column => placeholders[row * Columns.Length + column])) + ")"));

        public string ParameterName(int row, int column) => parameterNames[row * Columns.Length + column];
    }
}
