using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// Appends new rows of a mapped type without tracking them, in the context's current transaction, with EF Core's own
/// column mapping (<see cref="MappedColumn"/>), so a row reads back exactly as if EF Core had saved it. Columns the
/// database generates (an identity key) are left to it; a key the entity sets itself (a new Guid) is written. For rows
/// that are only ever added, many at once (<see cref="LanternDb.Append{T}"/>), and for a new row inserted ahead of the
/// change tracker (<see cref="LanternDb.InsertNowAsync{T}"/>). On SQLite one prepared INSERT runs for each row
/// through the statement its connection keeps (<see cref="MappedColumn.InsertEachAsync"/>: 32 rows a statement was
/// slower than the change tracker, measured); on PostgreSQL, where each statement is a round trip,
/// a statement takes up to <see cref="MaxRows"/> rows.
/// </summary>
internal static class RowAppender
{
    private const int MaxRows = 32;

    private static readonly ConditionalWeakTable<IModel, Dictionary<Type, Table>> Tables = new();

    /// <summary>Rows of several types, each type's in the order given (an outbox keeps its order).</summary>
    public static async Task AppendEachTypeAsync(LanternDb db, IEnumerable<object> rows, CancellationToken cancel)
    {
        foreach (var type in rows.GroupBy(r => r.GetType()))
        {
            await AppendAsync(db, type.Key, [.. type], cancel);
        }
    }

    public static async Task AppendAsync(LanternDb db, Type type, IReadOnlyList<object> rows, CancellationToken cancel)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Rows are appended inside a transaction, which commits or rolls back all of them");
        var table = TableOf(db, type);
        table.CheckWritable(rows);
        var connection = transaction.Connection!;
        if (db is LanternSqliteDb)
        {
            await MappedColumn.InsertEachAsync(connection, transaction, table.Insert(1), table.Columns, rows, ValueOf, cancel);
            return;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        for (var start = 0; start < rows.Count; start += MaxRows)
        {
            var count = Math.Min(MaxRows, rows.Count - start);
            command.CommandText = table.Insert(count);
            command.Parameters.Clear();
            for (var row = 0; row < count; row++)
            {
                for (var column = 0; column < table.Columns.Count; column++)
                {
                    var (property, _, mapping) = table.Columns[column];
                    command.Parameters.Add(mapping.CreateParameter(command, $"@p{row * table.Columns.Count + column}",
                        ValueOf(rows[start + row], property), property.IsNullable));
                }
            }
            await command.ExecuteNonQueryAsync(cancel);
        }
    }

    /// <summary>A row's value of a mapped property, as EF Core reads it.</summary>
    private static object? ValueOf(object row, IProperty property) => property.GetGetter().GetClrValue(row);

    private static Table TableOf(LanternDb db, Type type)
    {
        var tables = Tables.GetValue(db.Model, _ => []);
        lock (tables)
        {
            if (!tables.TryGetValue(type, out var table))
            {
                table = new Table(db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped"));
                tables.Add(type, table);
            }
            return table;
        }
    }

    /// <summary>A mapped table's insertable columns, and its INSERT statement for each number of rows (made once).</summary>
    private sealed class Table
    {
        private readonly string?[] inserts = new string?[MaxRows + 1];

        /// <summary>The key, where the entity sets it itself (a new Guid): EF Core calls it generated, and would make one when unset.</summary>
        private readonly IProperty? ownKey;

        /// <summary>Owned collections, which live in tables of their own: a row is written here only while they are empty.</summary>
        private readonly List<INavigation> owned;

        public string Name { get; }

        public List<MappedColumn> Columns { get; }

        public Table(IEntityType entity)
        {
            ownKey = entity.FindPrimaryKey() is { Properties: [{ ValueGenerated: ValueGenerated.OnAdd } key] } && key.ClrType == typeof(Guid) ? key : null;
            owned = [.. entity.GetNavigations().Where(n => n.TargetEntityType.IsOwned() && n.IsCollection)];
            if (entity.GetProperties().Any(p => p.IsShadowProperty() || (p.ValueGenerated != ValueGenerated.Never && !IsIdentity(p) && p != ownKey))
                || entity.GetComplexProperties().Any() || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned() && !n.IsCollection))
            {
                throw new InvalidOperationException($"{entity.DisplayName()} has shadow, generated, complex or owned values: append it through the change tracker");
            }
            Name = entity.GetTableName()!;
            Columns = MappedColumn.Of(entity, StoreObjectIdentifier.Table(Name, entity.GetSchema()), p => !IsIdentity(p));
        }

        /// <summary>Throws for a row this table cannot hold whole: its key left for EF Core to make, or an owned collection with members.</summary>
        public void CheckWritable(IReadOnlyList<object> rows)
        {
            if (ownKey is null && owned.Count == 0)
            {
                return;
            }
            foreach (var row in rows)
            {
                if (ownKey is not null && ownKey.GetGetter().HasSentinelValue(row))
                {
                    throw new InvalidOperationException($"A {row.GetType().Name} without its key: add it through the change tracker");
                }
                if (owned.Any(n => n.GetCollectionAccessor()!.GetOrCreate(row, forMaterialization: false) is System.Collections.ICollection { Count: > 0 }))
                {
                    throw new InvalidOperationException($"A {row.GetType().Name} with rows of its own ({string.Join(", ", owned.Select(n => n.Name))}): add it through the change tracker");
                }
            }
        }

        /// <summary>An integer key the database numbers: the only column left out.</summary>
        private static bool IsIdentity(IProperty property) =>
            property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && (property.ClrType == typeof(long) || property.ClrType == typeof(int));

        /// <summary>The statement for <paramref name="rows"/> rows (made once).</summary>
        public string Insert(int rows) => inserts[rows] ??= MappedColumn.Insert(Name, Columns, rows);
    }
}
