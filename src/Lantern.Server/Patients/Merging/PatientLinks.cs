using System.Globalization;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Merging;

/// <summary>
/// A kind of record that belongs to a patient through a PatientId column. Each module registers its own
/// (see <see cref="PatientLinkRegistration.AddPatientLinks{TRecord, TKey}"/>); a merge moves them all, and a
/// test fails if an entity with a PatientId is left unregistered.
/// </summary>
public interface IPatientLinks
{
    string RecordType { get; }
    Type EntityType { get; }

    /// <summary>Moves every record of <paramref name="fromPatient"/> to <paramref name="toPatient"/>; returns the keys moved.</summary>
    Task<IReadOnlyList<string>> MoveAllAsync(LanternDb db, Guid fromPatient, Guid toPatient, CancellationToken cancel);

    /// <summary>Moves the records with these keys to <paramref name="toPatient"/>.</summary>
    Task MoveAsync(LanternDb db, IReadOnlyCollection<string> keys, Guid toPatient, CancellationToken cancel);
}

internal sealed class PatientLinks<TRecord, TKey>(string recordType) : IPatientLinks
    where TRecord : class
    where TKey : IParsable<TKey>
{
    public string RecordType => recordType;
    public Type EntityType => typeof(TRecord);

    public async Task<IReadOnlyList<string>> MoveAllAsync(LanternDb db, Guid fromPatient, Guid toPatient, CancellationToken cancel)
    {
        var records = db.Set<TRecord>().Where(r => EF.Property<Guid>(r, "PatientId") == fromPatient);
        var keys = await records.Select(r => EF.Property<TKey>(r, "Id")).ToListAsync(cancel);
        await records.ExecuteUpdateAsync(s => s.SetProperty(r => EF.Property<Guid>(r, "PatientId"), toPatient), cancel);
        return [.. keys.Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)!)];
    }

    public async Task MoveAsync(LanternDb db, IReadOnlyCollection<string> keys, Guid toPatient, CancellationToken cancel)
    {
        foreach (var chunk in keys.Select(k => TKey.Parse(k, CultureInfo.InvariantCulture)).Chunk(500))
        {
            await db.Set<TRecord>().Where(r => chunk.Contains(EF.Property<TKey>(r, "Id")))
                .ExecuteUpdateAsync(s => s.SetProperty(r => EF.Property<Guid>(r, "PatientId"), toPatient), cancel);
        }
    }
}

public static class PatientLinkRegistration
{
    public static IServiceCollection AddPatientLinks<TRecord, TKey>(this IServiceCollection services, string recordType)
        where TRecord : class
        where TKey : IParsable<TKey> =>
        services.AddSingleton<IPatientLinks>(new PatientLinks<TRecord, TKey>(recordType));
}
