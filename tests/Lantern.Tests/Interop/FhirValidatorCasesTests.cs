using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir;
using Lantern.Tests.Support;

namespace Lantern.Tests.Interop;

/// <summary>
/// The HL7 validator test cases (dev split): each case sent to <c>$validate</c> must get the verdict the reference
/// validator gives, valid or invalid, except the cases listed below with the reason Lantern differs.
/// </summary>
public sealed class FhirValidatorCasesTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Interop", "TestData", "fhir-validator-cases");

    /// <summary>Where Lantern's verdict is not the reference validator's, and why (docs/decisions/0008-fhir-api.md).</summary>
    private static readonly Dictionary<string, string> KnownGaps = new()
    {
        ["cvx"] = "display names of CVX vaccine codes: needs a terminology server holding CVX",
        ["bundle-id-5"] = "the same CVX display check",
        ["vs-bad-ecl"] = "SNOMED CT expression constraint syntax in a ValueSet filter: Lantern has no ECL parser (not a terminology server)",
        ["vs-bad-ecl-us"] = "the same ECL check",
        ["vs-bad-props"] = "ValueSet filter properties checked against SNOMED CT: needs a terminology server",
        ["cs-bad-props"] = "CodeSystem property definitions against the standard property URIs: terminology authoring, not held by Lantern",
        ["contract-binding-test"] = "unknown codes in FHIR code systems under example bindings: Lantern warns, as base R4 does not bind these elements (so a feed's mis-coded category is kept and reported, not refused)",
        ["supplement-2"] = "CodeSystem supplement rules against LOINC: terminology authoring, needs LOINC",
    };

    [Fact]
    public async System.Threading.Tasks.Task Every_case_gets_the_reference_verdict_but_the_known_gaps()
    {
        await using var app = LanternApp.Sqlite();
        await using var strictMarkdown = LanternApp.Sqlite(new Dictionary<string, string?> { ["Fhir:Validation:HtmlInMarkdownIsError"] = "true" });
        using var http = await FhirTestClients.SystemAsync(app);
        using var strictHttp = await FhirTestClients.SystemAsync(strictMarkdown);
        var parser = new FhirJsonDeserializer();
        var differences = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var cases = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "manifest.json")))!["cases"]!.AsArray();

        foreach (var entry in cases)
        {
            var (name, file) = (entry!["name"]!.GetValue<string>(), entry["file"]!.GetValue<string>());
            var mediaType = entry["format"]!.GetValue<string>() == "xml" ? FhirFormat.XmlType : FhirFormat.JsonType;
            var client = entry["manifest_entry"]!["noHtmlInMarkdown"]?.GetValue<bool>() == true ? strictHttp : http;
            // A case that is not even JSON names no type: any type's $validate must report the syntax error.
            var type = entry["resourceType"]!.GetValue<string>() is var named && named.StartsWith('(') ? "Basic" : named;
            var response = await client.PostAsync($"/fhir/{type}/$validate",
                new StringContent(await File.ReadAllTextAsync(Path.Combine(Folder, file)), Encoding.UTF8, mediaType));
            Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var outcome = (OperationOutcome)parser.DeserializeResource(await response.Content.ReadAsStringAsync());
            var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
            var expectedValid = entry["expected_valid"]!.GetValue<bool>();
            if ((errors.Count == 0) != expectedValid)
            {
                differences[name] = expectedValid
                    ? $"expected valid, Lantern says: {string.Join(" | ", errors.Select(e => e.Details?.Text ?? e.Diagnostics))}"
                    : $"expected invalid ({entry["error_category_heuristic"]}), Lantern finds no error: {string.Join(" | ", outcome.Issue.Select(e => e.Severity + " " + (e.Details?.Text ?? e.Diagnostics)))}";
            }
        }

        Assert.True(differences.Keys.SequenceEqual(KnownGaps.Keys.Order(StringComparer.Ordinal)),
            "Verdicts differing from the reference validator:\n" + string.Join("\n", differences.Select(d => $"{d.Key}: {d.Value}")));
    }
}
