namespace Lantern.Server.Platform;

/// <summary>Lantern stores UTC and shows UK local time (GMT/BST), whatever the server's own time zone.</summary>
public static class UkTime
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateTime ToLondon(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, London).DateTime;

    /// <summary>Today's date in the UK.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToLondon(clock.GetUtcNow()));

    /// <summary>The instant a UK calendar day begins (midnight GMT or BST).</summary>
    public static DateTimeOffset StartOfUkDay(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, London.GetUtcOffset(midnight));
    }

    /// <summary>
    /// A UK wall-clock time as an instant. Null for a time that does not exist (the hour skipped when clocks go
    /// forward); in the hour that happens twice when clocks go back, the first (BST) is taken.
    /// </summary>
    public static DateTimeOffset? FromLondon(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (London.IsInvalidTime(local))
        {
            return null;
        }
        var offset = London.IsAmbiguousTime(local) ? London.GetAmbiguousTimeOffsets(local).Max() : London.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
