using System.Globalization;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Interop.Hl7v2.Inbound;

namespace Lantern.Tests.Interop.Hl7v2;

/// <summary>
/// UCLH's Emap pipeline ships, beside each test ADT message, the patient and encounter facts it expects read from it
/// (YAML). Lantern's reading of every such dev message is compared with them, fact by fact.
/// </summary>
public sealed class UclhExpectedResultsTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "Interop", "TestData", "hl7v2", "uclh-emap");

    public static TheoryData<string, string> Pairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(Data, "manifest.csv")).Skip(1))
        {
            var cells = line.Split(',');
            if (cells[0] == "dev" && cells[^1].Contains("/AdtMessages/", StringComparison.Ordinal))
            {
                pairs.Add(cells[1], cells[^1]);
            }
        }
        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Lantern_reads_the_patient_and_encounter_facts_UCLH_expects(string messageFile, string expectedFile)
    {
        var adt = AdtEvent.Read(Er7Parser.Parse(File.ReadAllText(Path.Combine(Data, messageFile))));
        var expected = Facts(File.ReadAllLines(Path.Combine(Data, expectedFile)));
        static string? Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var ours = new Dictionary<string, string?>
        {
            ["sourceSystem"] = adt.SourceSystem,
            ["mrn"] = adt.Mrn,
            ["nhsNumber"] = adt.NhsNumber,
            ["visitNumber"] = adt.VisitNumber,
            ["recordedDateTime"] = Instant(adt.RecordedAt),
            ["eventOccurredDateTime"] = Instant(adt.OccurredAt),
            ["patientFamilyName"] = adt.FamilyName,
            ["patientGivenName"] = adt.GivenName,
            ["patientMiddleName"] = adt.MiddleName,
            ["patientTitle"] = adt.Title,
            ["patientSex"] = adt.Sex,
            ["patientBirthDate"] = adt.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["patientZipOrPostalCode"] = adt.Postcode,
            ["patientIsAlive"] = adt.Alive switch { true => "true", false => "false", null => null },
            ["fullLocationString"] = adt.Location,
            ["previousLocationString"] = adt.PreviousLocation,
            ["admissionDateTime"] = Instant(adt.AdmittedAt),
            ["dischargeDateTime"] = Instant(adt.DischargedAt),
            ["dischargeDisposition"] = adt.DischargeDisposition,
            ["dischargeLocation"] = adt.DischargeLocation,
            ["previousMrn"] = adt.PreviousMrn,
        };
        var compared = 0;
        foreach (var (fact, value) in expected.Where(e => ours.ContainsKey(e.Key)))
        {
            // UCLH writes an absent fact as "", Lantern as null.
            Assert.True((value.Length == 0 ? null : value) == ours[fact], $"{messageFile}: {fact} expected '{value}', Lantern read '{ours[fact] ?? "(nothing)"}'");
            compared++;
        }
        Assert.True(compared >= 5, $"{messageFile}: only {compared} facts compared");
    }

    /// <summary>
    /// The expected facts: top-level <c>key: "value"</c>, or a block whose <c>value:</c> is the fact when its status
    /// is SAVE (a fact UCLH marks IGNORE or DELETE is not one to compare). Emap's YAML is this regular; no YAML library.
    /// </summary>
    private static Dictionary<string, string> Facts(string[] lines)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || char.IsWhiteSpace(lines[i][0]) || lines[i].StartsWith('"') || !lines[i].Contains(':', StringComparison.Ordinal))
            {
                continue;
            }
            var key = lines[i][..lines[i].IndexOf(':', StringComparison.Ordinal)];
            var rest = lines[i][(key.Length + 1)..].Trim();
            if (rest.Length > 0)
            {
                facts[key] = Unquote(rest);
                continue;
            }
            var block = lines.Skip(i + 1).TakeWhile(l => l.Length > 0 && char.IsWhiteSpace(l[0])).Select(l => l.Trim()).ToList();
            string? Field(string name) => block.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } l ? Unquote(l[(name.Length + 1)..].Trim()) : null;
            if (Field("status") is "SAVE" && Field("value") is { } value)
            {
                facts[key] = value;
            }
        }
        return facts;
    }

    private static string Unquote(string s) => s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1] : s;
}
