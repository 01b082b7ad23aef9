using Lantern.Server.Platform;

namespace Lantern.Tests.Unit;

public sealed class UkTimeTests
{
    [Fact]
    public void Winter_times_are_gmt_and_summer_times_are_bst()
    {
        Assert.Equal(new DateTime(2026, 1, 15, 9, 0, 0), UkTime.ToLondon(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTime(2026, 7, 15, 10, 0, 0), UkTime.ToLondon(new DateTimeOffset(2026, 7, 15, 9, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Clocks_go_forward_at_one_in_the_morning_on_the_last_sunday_of_march()
    {
        Assert.Equal(new DateTime(2026, 3, 29, 0, 59, 0), UkTime.ToLondon(new DateTimeOffset(2026, 3, 29, 0, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTime(2026, 3, 29, 2, 0, 0), UkTime.ToLondon(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)));
    }
}
