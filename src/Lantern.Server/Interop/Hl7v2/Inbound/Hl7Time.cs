using System.Globalization;

namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>
/// HL7 v2 dates and times (DT, TS/DTM: YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]). A time without an offset is UK
/// local time, as NHS senders write it: 01:30 on a spring-forward night does not exist and 01:30 on the autumn
/// night happens twice, so both are refused rather than guessed.
/// </summary>
public static class Hl7Time
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateOnly? Date(string value) =>
        value.Length >= 8 && DateOnly.TryParseExact(value[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The instant, or null when empty; an <see cref="FormatException"/> names what is wrong otherwise.</summary>
    public static DateTimeOffset? Instant(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var offsetAt = value.IndexOfAny(['+', '-']);
        var local = offsetAt < 0 ? value : value[..offsetAt];
        var dot = local.IndexOf('.', StringComparison.Ordinal);
        var fraction = dot < 0 ? "" : local[(dot + 1)..];
        local = dot < 0 ? local : local[..dot];
        var formats = new[] { "yyyyMMddHHmmss", "yyyyMMddHHmm", "yyyyMMddHH", "yyyyMMdd" };
        if (!DateTime.TryParseExact(local, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) || fraction.Any(c => !char.IsAsciiDigit(c)))
        {
            throw new FormatException($"'{value}' is not an HL7 date/time (YYYYMMDDHHMM[SS])");
        }
        if (fraction.Length > 0)
        {
            at = at.AddTicks((long)(double.Parse("0." + fraction, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
        }
        if (offsetAt >= 0)
        {
            var zone = value[offsetAt..];
            if (zone.Length != 5 || !int.TryParse(zone[1..3], CultureInfo.InvariantCulture, out var hours) || !int.TryParse(zone[3..], CultureInfo.InvariantCulture, out var minutes))
            {
                throw new FormatException($"'{value}' has an offset that is not +/-HHMM");
            }
            var offset = new TimeSpan(hours, minutes, 0);
            return new DateTimeOffset(at, zone[0] == '-' ? -offset : offset);
        }
        if (London.IsInvalidTime(at) || London.IsAmbiguousTime(at))
        {
            throw new FormatException($"'{value}' is a UK local time that does not exist or happens twice (clocks changing): send it with its offset");
        }
        return new DateTimeOffset(at, London.GetUtcOffset(at));
    }

    /// <summary><see cref="Instant"/> of a message field: a bad value refuses the message (AE) naming <paramref name="field"/>.</summary>
    public static DateTimeOffset? Of(string value, string field)
    {
        try
        {
            return Instant(value);
        }
        catch (FormatException e)
        {
            throw Hl7RefusalException.Error($"{field}: {e.Message}", Hl7Acks.DataTypeError);
        }
    }
}
