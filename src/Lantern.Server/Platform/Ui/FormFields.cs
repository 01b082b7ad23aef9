namespace Lantern.Server.Platform.Ui;

/// <summary>A choice in a radio group or select: the submitted value and what the person reads.</summary>
public sealed record Choice(string Value, string Label);

/// <summary>NHS radios in a fieldset. The first radio's id is <see cref="Name"/>, so the error summary can link to it.</summary>
public sealed record RadioGroup(string Name, string Legend, string? Value, IReadOnlyList<Choice> Choices, string? Hint = null, bool Inline = false);

/// <summary>An NHS select with an empty first option ("Select…") unless <see cref="Placeholder"/> is null.</summary>
public sealed record SelectInput(string Name, string Label, string? Value, IReadOnlyList<Choice> Choices, string? Hint = null, string? Placeholder = "Select");

/// <summary>
/// The NHS date input (day, month, year boxes). The day box's id is <see cref="Name"/>; the boxes post as
/// Name + "Day", "Month", "Year" (see <see cref="DateParts"/>).
/// </summary>
public sealed record DateInput(string Name, string Legend, DateParts Value, string? Hint = null, bool WithTime = false, string? Time = null);

/// <summary>What was typed into a date input.</summary>
public sealed record DateParts(string? Day, string? Month, string? Year)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Day) && string.IsNullOrWhiteSpace(Month) && string.IsNullOrWhiteSpace(Year);

    public static DateParts Of(DateOnly? date) => date is { } d
        ? new(d.Day.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Month.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Year.ToString(System.Globalization.CultureInfo.InvariantCulture))
        : new(null, null, null);

    /// <summary>The date as yyyy-MM-dd; null when empty; <paramref name="problem"/> set when it is not a real date.</summary>
    public string? ToIso(out string? problem)
    {
        problem = null;
        if (IsEmpty)
        {
            return null;
        }
        if (int.TryParse(Day, System.Globalization.CultureInfo.InvariantCulture, out var day)
            && int.TryParse(Month, System.Globalization.CultureInfo.InvariantCulture, out var month)
            && int.TryParse(Year, System.Globalization.CultureInfo.InvariantCulture, out var year)
            && year is >= 1000 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            return new DateOnly(year, month, day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        problem = "must be a real date, with a 4-digit year";
        return null;
    }
}
