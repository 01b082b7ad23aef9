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
/// Issues hospital numbers (MRNs): the trust prefix and a serial number. Each allocation is its own short
/// statement, so concurrent registrations never wait on each other's transactions; a registration that fails
/// afterwards leaves a gap, as in every PAS, but never a duplicate.
/// </summary>
public static class HospitalNumbers
{
    public const string Prefix = "RZZ";

    public static string Format(long serial) => Prefix + serial.ToString(CultureInfo.InvariantCulture);

    public static async Task<string> NextAsync(LanternDb db, CancellationToken cancel = default) =>
        Format(await ReserveAsync(db, 1, cancel));

    /// <summary>Reserves <paramref name="count"/> consecutive serials and returns the first.</summary>
    public static async Task<long> ReserveAsync(LanternDb db, int count, CancellationToken cancel = default)
    {
        var after = await db.Database
            .SqlQuery<long>($"UPDATE \"HospitalNumberCounters\" SET \"Next\" = \"Next\" + {count} WHERE \"Id\" = 1 RETURNING \"Next\" AS \"Value\"")
            .ToListAsync(cancel);
        return after[0] - count;
    }
}
