using System.Data.Common;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Lantern.Server.Patients.Synthetic;

/// <summary>
/// Loads many patients fast, below EF's change tracking: binary COPY on PostgreSQL, one prepared INSERT
/// re-executed in a single transaction on SQLite. Columns and value conversions come from the EF model, so
/// a new Patient property is loaded without touching this code. For synthetic data only: nothing is audited
/// per row (the command that calls it writes one audit entry for the load).
/// </summary>
public static class PatientBulkLoad
{
    public static async Task LoadAsync(LanternDb db, IEnumerable<Patient> patients, CancellationToken cancel = default)
    {
        var entity = db.Model.FindEntityType(typeof(Patient))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p.PropertyInfo is not null)
            .Select(p => (Property: p, Column: p.GetColumnName(table)!, Mapping: (RelationalTypeMapping)p.GetTypeMapping())).ToList();
        var columnList = string.Join(", ", columns.Select(c => $"\"{c.Column}\""));
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancel);
        }

        if (connection is NpgsqlConnection npgsql)
        {
            await using var import = await npgsql.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columnList}) FROM STDIN (FORMAT BINARY)", cancel);
            foreach (var patient in patients)
            {
                await import.StartRowAsync(cancel);
                foreach (var (property, _, mapping) in columns)
                {
                    var value = Provider(property, mapping, patient);
                    if (value is null)
                    {
                        await import.WriteNullAsync(cancel);
                    }
                    else
                    {
                        await import.WriteAsync(value, mapping.StoreTypeNameBase, cancel);
                    }
                }
            }
            await import.CompleteAsync(cancel);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancel);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"{table.Name}\" ({columnList}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((c, i) => c.Mapping.CreateParameter(insert, "@p" + i, null, c.Property.IsNullable)).ToArray();
        insert.Parameters.AddRange(parameters);
        await insert.PrepareAsync(cancel);
        foreach (var patient in patients)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = Provider(columns[i].Property, columns[i].Mapping, patient) ?? DBNull.Value;
            }
            await insert.ExecuteNonQueryAsync(cancel);
        }
        await transaction.CommitAsync(cancel);
    }

    /// <summary>Refreshes the planner's statistics after a bulk load, so searches pick the right index.</summary>
    public static async Task AnalyseAsync(LanternDb db, CancellationToken cancel = default) =>
        await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql() ? "ANALYZE \"Patients\"" : "ANALYZE", cancel);

    private static object? Provider(IProperty property, RelationalTypeMapping mapping, Patient patient)
    {
        var value = property.PropertyInfo!.GetValue(patient);
        return value is null ? null : mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
    }
}
