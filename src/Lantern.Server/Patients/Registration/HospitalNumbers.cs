using System.Globalization;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Registration;

/// <summary>The one row that holds the next hospital number (MRN) to issue.</summary>
public sealed class HospitalNumberCounter
{
    public int Id { get; private set; } = 1;
    public long Next { get; private set; }

    /// <summary>Numbers below this were issued by the demo seed or by hand.</summary>
    public const long FirstIssued = 500_000;
}

/// <summary>
/// Issues hospital numbers (MRNs): the trust prefix and a serial number. Each server reserves a block of
/// serials in one short statement of its own and hands them out from memory (the hi/lo pattern), so a
/// registration costs no extra commit and never waits on another's transaction. Numbers left in a block at
/// shutdown, or taken by a registration that then fails, are gaps, as in every PAS; never duplicates.
/// </summary>
public sealed class HospitalNumbers : IDisposable
{
    private const int Block = 50;
    private readonly SemaphoreSlim gate = new(1, 1);
    private long next;
    private long end;

    public void Dispose() => gate.Dispose();

    /// <summary>The next MRN. Call it outside any open transaction: a block reservation must commit on its own.</summary>
    public async Task<string> NextAsync(LanternDb db, CancellationToken cancel = default)
    {
        await gate.WaitAsync(cancel);
        try
        {
            if (next == end)
            {
                next = await ReserveAsync(db, Block, cancel);
                end = next + Block;
            }
            return Format(next++);
        }
        finally
        {
            gate.Release();
        }
    }

    public const string Prefix = "RZZ";

    public static string Format(long serial) => Prefix + serial.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reserves <paramref name="count"/> consecutive serials and returns the first.</summary>
    public static async Task<long> ReserveAsync(LanternDb db, int count, CancellationToken cancel = default)
    {
        var after = await db.Database
            .SqlQuery<long>($"UPDATE \"HospitalNumberCounters\" SET \"Next\" = \"Next\" + {count} WHERE \"Id\" = 1 RETURNING \"Next\" AS \"Value\"")
            .ToListAsync(cancel);
        return after[0] - count;
    }
}
