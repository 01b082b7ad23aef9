using System.Collections.Frozen;

namespace Lantern.Server.Inpatients;

/// <summary>Commissioning Data Set code lists for admissions and discharges (nhs-standards.md).</summary>
public static class AdtCodes
{
    public static FrozenDictionary<string, string> AdmissionMethods { get; } = new Dictionary<string, string>
    {
        ["11"] = "Elective: waiting list", ["12"] = "Elective: booked", ["13"] = "Elective: planned",
        ["21"] = "Emergency: via A&E", ["22"] = "Emergency: via GP", ["23"] = "Emergency: bed bureau",
        ["24"] = "Emergency: consultant clinic", ["25"] = "Emergency: mental health crisis team",
        ["2A"] = "Emergency: A&E of another provider", ["2B"] = "Emergency: transfer from another provider",
        ["2D"] = "Emergency: other", ["31"] = "Maternity: ante-partum", ["32"] = "Maternity: post-partum",
        ["81"] = "Transfer from another provider (non-emergency)", ["82"] = "Birth in this provider", ["83"] = "Birth outside, then admitted",
    }.ToFrozenDictionary();

    public static FrozenDictionary<string, string> AdmissionSources { get; } = new Dictionary<string, string>
    {
        ["19"] = "Usual place of residence", ["29"] = "Temporary place of residence", ["51"] = "NHS other hospital provider: ward",
        ["54"] = "NHS run care home", ["65"] = "Local authority care home", ["79"] = "Born in this provider",
    }.ToFrozenDictionary();

    public static FrozenDictionary<string, string> DischargeMethods { get; } = new Dictionary<string, string>
    {
        ["1"] = "On clinical advice", ["2"] = "Self-discharge or by relative", ["3"] = "By mental health tribunal",
        ["4"] = "Patient died", ["5"] = "Stillbirth",
    }.ToFrozenDictionary();

    public static FrozenDictionary<string, string> DischargeDestinations { get; } = new Dictionary<string, string>
    {
        ["19"] = "Usual place of residence", ["29"] = "Temporary place of residence", ["51"] = "NHS other hospital provider: ward",
        ["54"] = "NHS run care home", ["65"] = "Local authority care home", ["79"] = "Not applicable: patient died",
    }.ToFrozenDictionary();

    /// <summary>Elective, emergency, maternity or transfer, from the admission method's first digit.</summary>
    public static string AdmissionType(string method) => method[0] switch
    {
        '1' => "Elective",
        '2' => "Emergency",
        '3' => "Maternity",
        _ => "Other",
    };
}
