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
        var patientType = db.Model.FindEntityType(typeof(Patient))!;
        var namesType = patientType.FindNavigation(nameof(Patient.PreviousNames))!.TargetEntityType;
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancel);
        }
        await using var transaction = connection is NpgsqlConnection ? null : await connection.BeginTransactionAsync(cancel);

        // Previous names live in their own table (owned rows keyed by PatientId): collected on the way past.
        var previousNames = new List<(Guid PatientId, PreviousName Name)>();
        IEnumerable<Patient> Collecting()
        {
            foreach (var patient in patients)
            {
                previousNames.AddRange(patient.PreviousNames.Select(n => (patient.Id, n)));
                yield return patient;
            }
        }
        await WriteAsync(connection, transaction, patientType, Collecting(), (patient, property) => property.PropertyInfo!.GetValue(patient), cancel);
        await WriteAsync(connection, transaction, namesType, previousNames,
            (row, property) => property.PropertyInfo is { } info ? info.GetValue(row.Name) : row.PatientId, cancel);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancel);
        }
    }

    /// <summary>
    /// Writes rows of one table: every mapped property with a CLR property, plus shadow foreign keys (the owner's
    /// id); store-generated shadow keys are left to the database. Values go through the model's converters.
    /// </summary>
    private static async Task WriteAsync<T>(DbConnection connection, DbTransaction? transaction, IEntityType entity, IEnumerable<T> rows,
        Func<T, IProperty, object?> value, CancellationToken cancel)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p.PropertyInfo is not null || p.IsForeignKey())
            .Select(p => (Property: p, Column: p.GetColumnName(table)!, Mapping: (RelationalTypeMapping)p.GetTypeMapping())).ToList();
        var columnList = string.Join(", ", columns.Select(c => $"\"{c.Column}\""));
        object? Provider(T row, IProperty property, RelationalTypeMapping mapping) =>
            value(row, property) is { } v ? mapping.Converter is { } converter ? converter.ConvertToProvider(v) : v : null;

        if (connection is NpgsqlConnection npgsql)
        {
            await using var import = await npgsql.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columnList}) FROM STDIN (FORMAT BINARY)", cancel);
            foreach (var row in rows)
            {
                await import.StartRowAsync(cancel);
                foreach (var (property, _, mapping) in columns)
                {
                    if (Provider(row, property, mapping) is { } v)
                    {
                        await import.WriteAsync(v, mapping.StoreTypeNameBase, cancel);
                    }
                    else
                    {
                        await import.WriteNullAsync(cancel);
                    }
                }
            }
            await import.CompleteAsync(cancel);
            return;
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"{table.Name}\" ({columnList}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((c, i) => c.Mapping.CreateParameter(insert, "@p" + i, null, c.Property.IsNullable)).ToArray();
        insert.Parameters.AddRange(parameters);
        await insert.PrepareAsync(cancel);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = Provider(row, columns[i].Property, columns[i].Mapping) ?? DBNull.Value;
            }
            await insert.ExecuteNonQueryAsync(cancel);
        }
    }

    /// <summary>Refreshes the planner's statistics after a bulk load, so searches pick the right index.</summary>
    public static async Task AnalyseAsync(LanternDb db, CancellationToken cancel = default) =>
        await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql() ? "ANALYZE \"Patients\", \"PatientPreviousNames\"" : "ANALYZE", cancel);
}
