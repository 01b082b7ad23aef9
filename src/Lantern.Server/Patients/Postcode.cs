using System.Text.RegularExpressions;

namespace Lantern.Server.Patients;

/// <summary>
/// UK postcodes: the formats of the Royal Mail / ONS pattern (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA,
/// AA9A 9AA, and GIR 0AA), with the letters each position allows. Stored canonical: upper case, one space.
/// </summary>
public static partial class Postcode
{
    [GeneratedRegex("^(GIR0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})$")]
    private static partial Regex Full();

    [GeneratedRegex("^[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])$")]
    private static partial Regex Outward();

    /// <summary>"sw1a1aa" → "SW1A 1AA"; null when it is not a UK postcode.</summary>
    public static string? Normalise(string? input)
    {
        var compact = Compact(input);
        return Full().IsMatch(compact) ? $"{compact[..^3]} {compact[^3..]}" : null;
    }

    /// <summary>An outward code alone ("SW1A"), for searching a district; null otherwise.</summary>
    public static string? NormaliseOutward(string? input)
    {
        var compact = Compact(input);
        return Outward().IsMatch(compact) ? compact : null;
    }

    private static string Compact(string? input) =>
        new string([.. (input ?? "").Where(c => !char.IsWhiteSpace(c))]).ToUpperInvariant();
}
