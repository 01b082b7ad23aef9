using System.Collections.Frozen;

namespace Lantern.Server.Patients;

/// <summary>Ethnic category codes of the NHS Data Dictionary (2001 census groups, as used in CDS and UK Core).</summary>
public static class EthnicCategory
{
    public static IReadOnlyList<(string Code, string Display)> All { get; } =
    [
        ("A", "White - British"),
        ("B", "White - Irish"),
        ("C", "White - Any other White background"),
        ("D", "Mixed - White and Black Caribbean"),
        ("E", "Mixed - White and Black African"),
        ("F", "Mixed - White and Asian"),
        ("G", "Mixed - Any other mixed background"),
        ("H", "Asian or Asian British - Indian"),
        ("J", "Asian or Asian British - Pakistani"),
        ("K", "Asian or Asian British - Bangladeshi"),
        ("L", "Asian or Asian British - Any other Asian background"),
        ("M", "Black or Black British - Caribbean"),
        ("N", "Black or Black British - African"),
        ("P", "Black or Black British - Any other Black background"),
        ("R", "Other Ethnic Groups - Chinese"),
        ("S", "Other Ethnic Groups - Any other ethnic group"),
        ("Z", "Not stated"),
        ("99", "Not known"),
    ];

    private static readonly FrozenDictionary<string, string> ByCode = All.ToFrozenDictionary(c => c.Code, c => c.Display);

    public static bool IsValid(string code) => ByCode.ContainsKey(code);

    public static string Display(string? code) => code is not null && ByCode.TryGetValue(code, out var display) ? display : "Not recorded";
}
