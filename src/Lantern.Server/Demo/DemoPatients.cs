using Lantern.Server.Patients;

namespace Lantern.Server.Demo;

/// <summary>
/// The demo trust's inpatients: invented people with test-range NHS numbers (999…, valid check digit),
/// each on a ward under a consultant team, so that wards and legitimate relationships have something to show.
/// </summary>
public static class DemoPatients
{
    public sealed record Inpatient(string FamilyName, string GivenName, string Title, DateOnly BirthDate, Gender Gender,
        string WardCode, string Bed, string TeamName, bool Sensitive = false);

    private const string Cardiology = "Cardiology - Dr Bennett";
    private const string Elderly = "Geriatric Medicine - Dr Holloway";
    private const string Acute = "General Internal Medicine - Dr Adeyemi";
    private const string Respiratory = "Respiratory Medicine - Dr Fraser";
    private const string Surgery = "General Surgery - Mr Hughes";

    public static IReadOnlyList<Inpatient> All { get; } =
    [
        new("Smith", "John", "Mr", new(1956, 3, 12), Gender.Male, "W07", "A1", Cardiology),
        new("Patel", "Ravi", "Mr", new(1949, 7, 2), Gender.Male, "W07", "A2", Cardiology),
        new("O'Brien", "Mary", "Mrs", new(1961, 11, 23), Gender.Female, "W07", "B1", Cardiology),
        new("Williams", "Carys", "Ms", new(1972, 5, 30), Gender.Female, "W07", "B2", Cardiology, Sensitive: true),
        new("Nguyen", "Linh", "Mr", new(1968, 1, 9), Gender.Male, "W07", "C1", Cardiology),
        new("Hughes", "Edith", "Mrs", new(1931, 9, 17), Gender.Female, "W12", "B1", Elderly),
        new("MacDonald", "Angus", "Mr", new(1938, 2, 4), Gender.Male, "W12", "A1", Elderly),
        new("Thompson", "Joan", "Mrs", new(1935, 12, 25), Gender.Female, "W12", "B2", Elderly),
        new("Kowalczyk", "Stanislaw", "Mr", new(1940, 6, 14), Gender.Male, "W12", "A2", Elderly),
        new("Ahmed", "Fatima", "Mrs", new(1983, 8, 8), Gender.Female, "AMU", "B1", Acute),
        new("Jones", "Gareth", "Mr", new(1990, 4, 19), Gender.Male, "AMU", "A1", Acute),
        new("Clarke", "Susan", "Miss", new(1977, 10, 3), Gender.Female, "AMU", "B2", Acute),
        new("Brown", "Derek", "Mr", new(1952, 3, 28), Gender.Male, "W09", "A1", Respiratory),
        new("Evans", "Margaret", "Mrs", new(1947, 7, 7), Gender.Female, "W09", "B1", Respiratory),
        new("Taylor", "Liam", "Mr", new(1999, 1, 31), Gender.Male, "W14", "A1", Surgery),
        new("Robinson", "Grace", "Ms", new(1985, 6, 21), Gender.Female, "W14", "B1", Surgery),
    ];

    /// <summary>The n-th demo NHS number in the 999 test range with a valid Modulus 11 check digit.</summary>
    public static string NhsNumberFor(int n)
    {
        for (var candidate = 999_000_000 + (n * 7); ; candidate++)
        {
            var nine = candidate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (NhsNumber.CheckDigit(nine) is { } check)
            {
                return nine + check;
            }
        }
    }

    public static string MrnFor(int n) => $"RZZ{100001 + n}";

    /// <summary>How many other (not admitted) patients the demo registers, and the generator seed that invents them.</summary>
    public const int RegisteredCount = 300;

    public const int RegisteredSeed = 2026;

    /// <summary>A duplicate to merge: Edith Hughes (W12) registered years ago at another address, before her NHS number was known.</summary>
    public static Demographics OldRegistrationOfEdithHughes { get; } = new("Hughes", "Edith", new(1931, 9, 17), Gender.Female)
    {
        Title = "Mrs",
        NhsNumberStatus = NhsNumberStatus.TraceRequired,
        AddressLine1 = "4 Chapel Street",
        Town = "Halifax",
        Postcode = "HX1 2PQ",
    };
}
