using System.Globalization;

namespace Lantern.Server.Patients;

/// <summary>NHS display conventions: dates as 12-Mar-1956, times as 24-hour UK local time.</summary>
public static class PatientFormat
{
    public static string Date(DateOnly date) => date.ToString("dd-MMM-yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTime utc) =>
        Platform.UkTime.ToLondon(new DateTimeOffset(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc))).ToString("dd-MMM-yyyy HH:mm", CultureInfo.InvariantCulture);
}
