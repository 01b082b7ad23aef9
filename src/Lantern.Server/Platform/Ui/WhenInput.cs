using System.Globalization;

namespace Lantern.Server.Platform.Ui;

/// <summary>
/// "When did it happen?": a UK date and a 24-hour time, both empty for now, for events recorded after the fact
/// (an admission at 02:10 entered by the morning clerk). Inputs: {Name}Day, {Name}Month, {Name}Year, {Name}Time.
/// </summary>
public static class WhenInput
{
    public const string Hint = "Leave empty for now. For an earlier time, enter the date and the 24-hour time, for example 25 11 2026 and 02:10";

    /// <summary>The input, showing what was posted (when the page comes back with an error) or empty.</summary>
    public static DateInput For(string name, string legend, HttpRequest request)
    {
        var form = request.HasFormContentType ? request.Form : null;
        return new(name, legend, PartsOf(form, name), Hint, WithTime: true, Time: form?[name + "Time"]);
    }

    /// <summary>The instant posted in the inputs named <paramref name="name"/>, or null for "now".</summary>
    public static DateTimeOffset? FromForm(HttpRequest request, string name, out string? problem)
    {
        var form = request.HasFormContentType ? request.Form : null;
        return Parse(PartsOf(form, name), form?[name + "Time"], out problem);
    }

    private static DateParts PartsOf(IFormCollection? form, string name) => new(form?[name + "Day"], form?[name + "Month"], form?[name + "Year"]);

    /// <summary>The instant typed, or null for "now"; <paramref name="problem"/> says what is wrong with it.</summary>
    public static DateTimeOffset? Parse(DateParts date, string? time, out string? problem)
    {
        problem = null;
        var noTime = string.IsNullOrWhiteSpace(time);
        if (date.IsEmpty && noTime)
        {
            return null;
        }
        var iso = date.ToIso(out var dateProblem);
        if (dateProblem is not null || iso is null)
        {
            problem = dateProblem is not null ? "The date " + dateProblem : "Enter the date as well as the time, or leave both empty for now";
            return null;
        }
        if (noTime || !TimeOnly.TryParseExact(time!.Trim().Replace('.', ':'), ["H:mm", "HH:mm", "HHmm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
        {
            problem = "Enter the time on the 24-hour clock, for example 14:30";
            return null;
        }
        var at = UkTime.FromLondon(DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture), clock);
        if (at is null)
        {
            problem = "That time does not exist: the clocks went forward an hour then";
        }
        return at;
    }
}
