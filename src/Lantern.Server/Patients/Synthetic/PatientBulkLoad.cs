using System.Data.Common;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
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
        var columns = MappedColumn.Of(entity, table, p => p.PropertyInfo is not null || p.IsForeignKey());
        if (connection is not NpgsqlConnection npgsql)
        {
            await MappedColumn.InsertEachAsync(connection, transaction, MappedColumn.Insert(table.Name, columns, 1), columns, rows, value, cancel);
            return;
        }
        await using var import = await npgsql.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({MappedColumn.List(columns)}) FROM STDIN (FORMAT BINARY)", cancel);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancel);
            foreach (var column in columns)
            {
                if (column.ToProvider(value(row, column.Property)) is { } v)
                {
                    await import.WriteAsync(v, column.Mapping.StoreTypeNameBase, cancel);
                }
                else
                {
                    await import.WriteNullAsync(cancel);
                }
            }
        }
        await import.CompleteAsync(cancel);
    }

    /// <summary>Refreshes the planner's statistics after a bulk load, so searches pick the right index.</summary>
    public static async Task AnalyseAsync(LanternDb db, CancellationToken cancel = default) =>
        await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql() ? "ANALYZE \"Patients\", \"PatientPreviousNames\"" : "ANALYZE", cancel);
}
