using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Tests.Interop;

/// <summary>What validation means for a system sending resources: UK Core when claimed, unknown extensions, $validate.</summary>
public sealed class FhirValidationTests
{
    private const string UkCoreAllergy = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-AllergyIntolerance";
    private static readonly string UkCoreExamples = Path.Combine(AppContext.BaseDirectory, "Interop", "TestData", "uk-core-examples");

    private static StringContent Json(Resource resource) => new(resource.ToJson(), Encoding.UTF8, FhirFormat.JsonType);

    private static async Task<OperationOutcome> OutcomeAsync(HttpResponseMessage response) =>
        (OperationOutcome)new FhirJsonDeserializer().DeserializeResource(await response.Content.ReadAsStringAsync());

    private static AllergyIntolerance AllergyWithoutCode(Guid patient) => new()
    {
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
        VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed"),
        Patient = new ResourceReference($"Patient/{patient}"),
    };

    [Fact]
    public async System.Threading.Tasks.Task A_resource_claiming_UK_Core_is_held_to_it_and_refusals_store_nothing()
    {
        await using var app = LanternApp.Sqlite();
        using var http = await FhirTestClients.SystemAsync(app);
        var patient = await app.WithDbAsync(db => db.Patients.OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());

        // UK Core requires AllergyIntolerance.code; base R4 does not.
        var claiming = AllergyWithoutCode(patient);
        claiming.Meta = new Meta { Profile = [UkCoreAllergy] };
        var refused = await http.PostAsync("/fhir/AllergyIntolerance", Json(claiming));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var refusal = await OutcomeAsync(refused);
        Assert.True(refusal.Issue.Any(i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Details?.Text == "Missing required member: 'code'"), refusal.ToJson());
        Assert.Equal(0, await app.WithDbAsync(db => db.FhirResources.CountAsync(r => r.ResourceType == "AllergyIntolerance")));

        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/fhir/AllergyIntolerance", Json(AllergyWithoutCode(patient)))).StatusCode);

        // A profile Lantern does not hold: checked against base R4 only, with a warning saying so.
        var foreign = AllergyWithoutCode(patient);
        foreign.Meta = new Meta { Profile = ["https://example.org/fhir/StructureDefinition/elsewhere"] };
        var validated = await OutcomeAsync(await http.PostAsync("/fhir/AllergyIntolerance/$validate", Json(foreign)));
        Assert.DoesNotContain(validated.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Contains(validated.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Warning && i.Details?.Text?.Contains("elsewhere", StringComparison.Ordinal) == true);
        // Asked by name, it is an error: the caller wanted that profile checked.
        var byName = await OutcomeAsync(await http.PostAsync("/fhir/AllergyIntolerance/$validate?profile=https://example.org/fhir/StructureDefinition/elsewhere", Json(AllergyWithoutCode(patient))));
        Assert.Contains(byName.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Expression.Contains("profile"));
        var asUkCore = await OutcomeAsync(await http.PostAsync($"/fhir/AllergyIntolerance/$validate?profile={UkCoreAllergy}", Json(AllergyWithoutCode(patient))));
        Assert.Contains(asUkCore.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Details?.Text == "Missing required member: 'code'");
    }

    [Fact]
    public async System.Threading.Tasks.Task One_invalid_entry_refuses_the_whole_transaction_naming_the_entry()
    {
        await using var app = LanternApp.Sqlite();
        using var http = await FhirTestClients.SystemAsync(app);
        var patient = await app.WithDbAsync(db => db.Patients.OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());
        var before = await app.WithDbAsync(db => db.FhirResources.CountAsync());
        var claiming = AllergyWithoutCode(patient);
        claiming.Meta = new Meta { Profile = [UkCoreAllergy] };
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var allergy in new[] { AllergyWithoutCode(patient), claiming })
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = allergy,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "AllergyIntolerance" },
            });
        }
        var refused = await http.PostAsync("/fhir", Json(bundle));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var outcome = await OutcomeAsync(refused);
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Expression.Contains("Bundle.entry[1].resource"));
        Assert.DoesNotContain(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Expression.Any(e => e?.StartsWith("Bundle.entry[0]", StringComparison.Ordinal) == true));
        Assert.Equal(before, await app.WithDbAsync(db => db.FhirResources.CountAsync()));
    }

    [Fact]
    public async System.Threading.Tasks.Task Unknown_extensions_are_refused_unless_their_domain_is_allowed()
    {
        await using var app = LanternApp.Sqlite(new Dictionary<string, string?> { ["Fhir:Validation:AllowedExtensionDomains:0"] = "https://partner.example.nhs.uk/fhir/" });
        using var http = await FhirTestClients.SystemAsync(app);
        var patient = await app.WithDbAsync(db => db.Patients.OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());

        var unknown = AllergyWithoutCode(patient);
        unknown.Extension.Add(new Extension("https://nowhere.example.com/fhir/StructureDefinition/severity-score", new Integer(3)));
        var refused = await http.PostAsync("/fhir/AllergyIntolerance", Json(unknown));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains((await OutcomeAsync(refused)).Issue, i => i.Expression.Contains("AllergyIntolerance.extension[0]"));

        var partner = AllergyWithoutCode(patient);
        partner.Extension.Add(new Extension("https://partner.example.nhs.uk/fhir/StructureDefinition/severity-score", new Integer(3)));
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/fhir/AllergyIntolerance", Json(partner))).StatusCode);

        Assert.Equal(["validate"], new FhirJsonDeserializer().Deserialize<CapabilityStatement>(await http.GetStringAsync("/fhir/metadata"))!
            .Rest[0].Resource.Single(r => r.Type == "AllergyIntolerance").Operation.Select(o => o.Name));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_UK_Core_examples_validate_but_for_their_known_faults()
    {
        await using var app = LanternApp.Sqlite();
        using var http = await FhirTestClients.SystemAsync(app);
        var faults = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var files = Directory.GetFiles(Path.Combine(UkCoreExamples, "json"));
        foreach (var file in files)
        {
            var json = await File.ReadAllTextAsync(file);
            var type = System.Text.Json.Nodes.JsonNode.Parse(json)!["resourceType"]!.GetValue<string>();
            var outcome = await OutcomeAsync(await http.PostAsync($"/fhir/{type}/$validate", new StringContent(json, Encoding.UTF8, FhirFormat.JsonType)));
            var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
            if (errors.Count > 0)
            {
                faults[Path.GetFileNameWithoutExtension(file)] = string.Join(" | ", errors.Select(e => $"{string.Join(",", e.Expression)}: {e.Details?.Text ?? e.Diagnostics}"));
            }
        }
        // Each is a fault of the example itself: two recorded by the publisher (SOURCE.md: a "[base]" placeholder
        // URL, an NHS number failing Modulus 11), two found here (a misspelt extension URL "RcordingSetting",
        // relative fullUrls in a Bundle, which R4 requires to be absolute).
        Assert.True(faults.Keys.SequenceEqual(["Extension-UKCore-RecordingSetting-Example", "UKCore-Bundle-NEWS2Observations-Example",
            "UKCore-Bundle-Sn-NoAllergyData-Example", "UKCore-Patient-BabyPatient-Example"]),
            string.Join("\n", faults.Select(f => $"{f.Key}: {f.Value}")));
        Assert.Contains("NHS number", faults["UKCore-Patient-BabyPatient-Example"], StringComparison.Ordinal);
        Assert.Contains("RcordingSetting", faults["Extension-UKCore-RecordingSetting-Example"], StringComparison.Ordinal);
        Assert.Equal(214, files.Length);
    }
}
