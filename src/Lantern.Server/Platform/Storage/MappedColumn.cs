using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// A column as EF Core maps it (name, type mapping, value converter), for writing rows below the change tracker (a
/// bulk load, a batch's appended rows) exactly as EF Core would write them: a new mapped property is written without
/// touching the code that writes.
/// </summary>
internal sealed record MappedColumn(IProperty Property, string Name, RelationalTypeMapping Mapping)
{
    /// <summary>The columns of <paramref name="entity"/> in <paramref name="table"/> whose properties <paramref name="include"/> takes.</summary>
    public static List<MappedColumn> Of(IEntityType entity, StoreObjectIdentifier table, Func<IProperty, bool> include) =>
        [.. entity.GetProperties().Where(include).Select(p => new MappedColumn(p, p.GetColumnName(table)!, (RelationalTypeMapping)p.GetTypeMapping()))];

    /// <summary>The value as the database holds it (through the model's converter).</summary>
    public object? ToProvider(object? value) => value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;

    public static string List(IEnumerable<MappedColumn> columns) => string.Join(", ", columns.Select(c => $"\"{c.Name}\""));

    /// <summary>The INSERT of <paramref name="rows"/> rows into <paramref name="table"/>, its parameters @p0, @p1, … row by row.</summary>
    public static string Insert(string table, IReadOnlyList<MappedColumn> columns, int rows) => $"INSERT INTO \"{table}\" ({List(columns)}) VALUES " + string.Join(", ",
        Enumerable.Range(0, rows).Select(row => "(" + string.Join(", ", Enumerable.Range(0, columns.Count).Select(column => $"@p{row * columns.Count + column}")) + ")"));

    /// <summary>
    /// Inserts each row with <paramref name="insertOne"/> (the one-row <see cref="Insert"/>), its parameters made once
    /// (by each column's mapping, as EF Core makes them) and given each row's values: SQLite's fastest way in-process,
    /// where a statement of many rows costs more to bind than it saves (it finds each parameter by name along the
    /// statement's list of names). On SQLite the statement is the one the connection keeps while open
    /// (<see cref="SqliteStatementCache.KeptFor"/>), compiled and given its parameters once; else it is prepared here.
    /// </summary>
    public static async Task InsertEachAsync<T>(DbConnection connection, DbTransaction? transaction, string insertOne, IReadOnlyList<MappedColumn> columns,
        IEnumerable<T> rows, Func<T, IProperty, object?> value, CancellationToken cancel)
    {
        var kept = connection is SqliteConnection sqlite ? SqliteStatementCache.KeptFor(sqlite, insertOne) : null;
        await using var own = kept is null ? connection.CreateCommand() : null;
        var insert = (DbCommand?)kept ?? own!;
        if (insert.Parameters.Count != columns.Count)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddRange(columns.Select((c, i) => c.Mapping.CreateParameter(insert, "@p" + i, null, c.Property.IsNullable)).ToArray());
        }
        insert.Transaction = transaction;
        if (own is not null)
        {
            own.CommandText = insertOne;
            await own.PrepareAsync(cancel);
        }
        var parameters = insert.Parameters;
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].ToProvider(value(row, columns[i].Property)) ?? DBNull.Value;
            }
            await insert.ExecuteNonQueryAsync(cancel);
        }
    }
}
