using Lantern.Server.Platform.Ui;

namespace Lantern.Tests.Unit;

/// <summary>Times typed by ward staff for events recorded after the fact: UK wall clock to UTC, with the clock changes.</summary>
public sealed class WhenInputTests
{
    private static (DateTimeOffset? At, string? Problem) Parse(string day, string month, string year, string time)
    {
        var at = WhenInput.Parse(new DateParts(day, month, year), time, out var problem);
        return (at, problem);
    }

    [Fact]
    public void Empty_means_now()
    {
        Assert.Equal((null, null), Parse("", "", "", ""));
    }

    [Theory]
    [InlineData("25", "11", "2026", "02:10", "2026-11-25T02:10:00Z")] // GMT
    [InlineData("1", "7", "2026", "14:30", "2026-07-01T13:30:00Z")] // BST
    [InlineData("1", "7", "2026", "0930", "2026-07-01T08:30:00Z")]
    [InlineData("1", "7", "2026", "9.30", "2026-07-01T08:30:00Z")]
    [InlineData("25", "10", "2026", "01:30", "2026-10-25T00:30:00Z")] // the repeated hour: the first (BST) is taken
    public void A_uk_date_and_time_become_the_right_instant(string day, string month, string year, string time, string expected)
    {
        var (at, problem) = Parse(day, month, year, time);
        Assert.Null(problem);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
    }

    [Theory]
    [InlineData("29", "3", "2026", "01:30", "clocks went forward")]
    [InlineData("25", "11", "2026", "", "24-hour clock")]
    [InlineData("25", "11", "2026", "25:00", "24-hour clock")]
    [InlineData("", "", "", "14:30", "date as well as the time")]
    [InlineData("31", "11", "2026", "14:30", "real date")]
    public void Impossible_or_half_given_times_are_refused_with_the_reason(string day, string month, string year, string time, string reason)
    {
        var (at, problem) = Parse(day, month, year, time);
        Assert.Null(at);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }
}
