using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using FhirPatient = Hl7.Fhir.Model.Patient;

namespace Lantern.Tests.Interop;

/// <summary>FHIR R4 Patient (UK Core) through Firely's own FhirClient, on each database engine.</summary>
public abstract class FhirPatientContract(StorageProvider provider)
{
    /// <summary>A valid NHS number in the 999 test range that the demo trust has not used.</summary>
    private static string UnusedNhsNumber(int seed)
    {
        for (var n = 500_000 + seed * 100; ; n++)
        {
            var nine = $"999{n:000000}";
            if (Lantern.Server.Patients.NhsNumber.CheckDigit(nine) is { } check and < 10)
            {
                return nine + check;
            }
        }
    }

    private static FhirClient Client(StaffBrowser browser) => FhirTestClients.Fhir(browser.Http);

    private static FhirPatient NewPatient(string nhsNumber)
    {
        var identifier = new Identifier(UkCore.NhsNumberSystem, nhsNumber);
        identifier.Extension.Add(new Extension(UkCore.NhsNumberVerificationStatusExtension, new CodeableConcept(UkCore.NhsNumberVerificationStatusSystem, "01")));
        return new FhirPatient
        {
            Meta = new Meta { Profile = [UkCore.PatientProfile] },
            Identifier = [identifier],
            Name = [new HumanName { Use = HumanName.NameUse.Official, Family = "Fothergill", Given = ["Ada", "May"], Prefix = ["Mrs"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = "1948-02-29",
            Address = [new Address { Line = ["3 Mill Lane"], City = "Halifax", PostalCode = "hx1 2pq" }],
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, "01422 123456")],
            Extension = [new Extension(UkCore.EthnicCategoryExtension, new CodeableConcept(UkCore.EthnicCategorySystem, "A"))],
        };
    }

    [Fact]
    public async System.Threading.Tasks.Task The_capability_statement_lists_exactly_what_is_implemented_and_needs_no_sign_in()
    {
        await using var app = LanternApp.On(provider);
        using var anonymous = app.NewBrowserlessClient();
        var response = await anonymous.GetAsync("/fhir/metadata");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FhirFormat.JsonType, response.Content.Headers.ContentType?.MediaType);
        var statement = new FhirJsonDeserializer().Deserialize<CapabilityStatement>(await response.Content.ReadAsStringAsync());
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        var patient = statement!.Rest[0].Resource.Single(r => r.Type == "Patient");
        Assert.Equal(
            new[]
            {
                CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.Vread, CapabilityStatement.TypeRestfulInteraction.HistoryInstance,
                CapabilityStatement.TypeRestfulInteraction.Update, CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.SearchType,
            }.Order(),
            patient.Interaction.Select(i => i.Code!.Value).Order());
        Assert.Equal(FhirPatientSearch.Parameters.Select(p => p.Name), patient.SearchParam.Select(p => p.Name));
        Assert.Contains(UkCore.PatientProfile, patient.SupportedProfile);
        Assert.Equal(["everything", "validate"], patient.Operation.Select(o => o.Name).Order(StringComparer.Ordinal));
        // SMART on FHIR: where a client gets its token.
        Assert.Equal("SMART-on-FHIR", statement.Rest[0].Security!.Service.Single().Coding.Single().Code);
        Assert.EndsWith("/connect/authorize", statement.Rest[0].Security!.Extension.Single().Extension.Single(e => e.Url == "authorize").Value!.ToString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Patient_search_sorts_by_family_given_or_birth_date_either_way_and_pages_keep_the_order()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        using var fhir = Client(clerk);
        // Two families sharing a prefix (one found by the prefix, one by a previous name would merge the same way).
        (string Family, string Given, string Born)[] people =
        [
            ("Quillfeather", "Zara", "1990-05-01"), ("Quillfeather", "Adam", "1950-01-01"), ("Quillfeathers", "Mary", "1970-07-07"),
            ("Quillfeathers", "Adam", "2001-12-31"), ("Quillfeather", "Mary", "1931-03-03"),
        ];
        for (var i = 0; i < people.Length; i++)
        {
            var patient = NewPatient(UnusedNhsNumber(20 + i));
            patient.Name[0].Family = people[i].Family;
            patient.Name[0].Given = [people[i].Given];
            patient.BirthDate = people[i].Born;
            await fhir.CreateAsync(patient);
        }
        async Task<List<string>> Sorted(string sort)
        {
            // Two at a time, following next links: the pages must join up into one order with nothing repeated or missed.
            var names = new List<string>();
            var page = await fhir.SearchAsync<FhirPatient>(["family=quillfeather", $"_sort={sort}", "_count=2"]);
            while (page is not null)
            {
                names.AddRange(page.Entry.Select(e => e.Resource).OfType<FhirPatient>().Select(p => $"{p.Name[0].Given.Single()} {p.Name[0].Family} {p.BirthDate}"));
                page = await fhir.ContinueAsync(page);
            }
            return names;
        }
        var byBirth = new[] { "Mary Quillfeather 1931-03-03", "Adam Quillfeather 1950-01-01", "Mary Quillfeathers 1970-07-07", "Zara Quillfeather 1990-05-01", "Adam Quillfeathers 2001-12-31" };
        Assert.Equal(byBirth, await Sorted("birthdate"));
        Assert.Equal(byBirth.Reverse(), await Sorted("-birthdate"));
        Assert.Equal(byBirth, await Sorted("birthdate,family,given"));
        var byName = new[] { "Adam Quillfeather 1950-01-01", "Mary Quillfeather 1931-03-03", "Zara Quillfeather 1990-05-01", "Adam Quillfeathers 2001-12-31", "Mary Quillfeathers 1970-07-07" };
        Assert.Equal(byName, await Sorted("family"));
        Assert.Equal(byName.Reverse(), await Sorted("-name"));
        Assert.Equal(["Adam Quillfeather 1950-01-01", "Adam Quillfeathers 2001-12-31", "Mary Quillfeather 1931-03-03", "Mary Quillfeathers 1970-07-07", "Zara Quillfeather 1990-05-01"],
            await Sorted("given"));
        // An order Lantern does not keep is refused by name, never quietly replaced by another.
        foreach (var unsupported in new[] { "address", "birthdate,given", "birthdate,-family", "-family,given" })
        {
            var refused = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.SearchAsync<FhirPatient>(["family=quillfeather", $"_sort={unsupported}"]));
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains("_sort", Assert.IsType<OperationOutcome>(refused.Outcome).Issue.Single().Expression);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task FhirClient_creates_reads_searches_and_updates_a_UK_Core_patient()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        using var fhir = Client(clerk);
        var nhs = UnusedNhsNumber(1);

        var created = await fhir.CreateAsync(NewPatient(nhs));
        Assert.NotNull(created!.Id);
        Assert.Equal("0", created.Meta!.VersionId); // the same version numbers as the JSON API's ETags
        var read = await fhir.ReadAsync<FhirPatient>($"Patient/{created.Id}");
        Assert.Equal("FOTHERGILL", read!.Name[0].Family!.ToUpperInvariant());
        Assert.Equal(["Ada", "May"], read.Name[0].Given);
        Assert.Equal("1948-02-29", read.BirthDate);
        Assert.Equal("HX1 2PQ", read.Address[0].PostalCode);
        var nhsIdentifier = read.Identifier.Single(i => i.System == UkCore.NhsNumberSystem);
        Assert.Equal(nhs, nhsIdentifier.Value);
        Assert.Equal("01", nhsIdentifier.GetExtensionValue<CodeableConcept>(UkCore.NhsNumberVerificationStatusExtension)!.Coding[0].Code);
        Assert.StartsWith("RZZ", read.Identifier.Single(i => i.System == UkCore.MrnSystem).Value, StringComparison.Ordinal);
        Assert.Equal("A", read.GetExtensionValue<CodeableConcept>(UkCore.EthnicCategoryExtension)!.Coding[0].Code);

        var spaced = $"{nhs[..3]} {nhs[3..6]} {nhs[6..]}";
        var byNumber = await fhir.SearchAsync<FhirPatient>([$"identifier={UkCore.NhsNumberSystem}|{spaced}"]);
        Assert.Equal(created.Id, Assert.Single(byNumber!.Entry).Resource!.Id);
        var byName = await fhir.SearchAsync<FhirPatient>(["family=fother", "birthdate=eq1948-02-29", "gender=female"]);
        Assert.Contains(byName!.Entry, e => e.Resource!.Id == created.Id);
        // name= matches a family or a given name.
        Assert.Contains((await fhir.SearchAsync<FhirPatient>(["name=fothergill"]))!.Entry, e => e.Resource!.Id == created.Id);
        Assert.Contains((await fhir.SearchAsync<FhirPatient>(["name=ada", "birthdate=1948"]))!.Entry, e => e.Resource!.Id == created.Id);
        Assert.Equal(HttpStatusCode.BadRequest, (await Assert.ThrowsAsync<FhirOperationException>(() => fhir.SearchAsync<FhirPatient>(["name=ada", "family=fother"]))).Status);
        Assert.NotEmpty((await fhir.SearchAsync<FhirPatient>(["family=fother", "_sort=family"]))!.Entry);
        var inRange = await fhir.SearchAsync<FhirPatient>(["family=fother", "birthdate=ge1948-01-01", "birthdate=lt1949"]);
        Assert.Contains(inRange!.Entry, e => e.Resource!.Id == created.Id);
        var after = await fhir.SearchAsync<FhirPatient>(["family=fother", "birthdate=gt1948-02-29"]);
        Assert.DoesNotContain(after!.Entry, e => e.Resource!.Id == created.Id);
        var rangeAlone = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.SearchAsync<FhirPatient>(["birthdate=ge1940"]));
        Assert.Equal(HttpStatusCode.BadRequest, rangeAlone.Status);

        read.Telecom[0].Value = "01422 654321";
        var updated = await fhir.UpdateAsync(read, versionAware: true);
        Assert.Equal("1", updated!.Meta!.VersionId);
        Assert.Equal("01422 654321", (await fhir.ReadAsync<FhirPatient>($"Patient/{created.Id}"))!.Telecom[0].Value);

        // Every saved version can be read again.
        Assert.Equal("01422 123456", (await fhir.ReadAsync<FhirPatient>($"Patient/{created.Id}/_history/0"))!.Telecom[0].Value);
        Assert.Equal("01422 654321", (await fhir.ReadAsync<FhirPatient>($"Patient/{created.Id}/_history/1"))!.Telecom[0].Value);
        var history = await fhir.HistoryAsync($"Patient/{created.Id}");
        Assert.Equal(["1", "0"], history!.Entry.Select(e => e.Resource!.Meta!.VersionId));

        // Another clerk's stale copy is refused, never silently applied.
        var stale = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.UpdateAsync(read, versionAware: true));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        var audited = await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.PatientId == Guid.Parse(created.Id) && e.UserName == "clerk"));
        Assert.True(audited >= 4, $"{audited} audit entries for create, reads and update");
    }

    [Fact]
    public async System.Threading.Tasks.Task Bad_input_gets_an_OperationOutcome_naming_the_element_and_stores_nothing()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var before = await app.WithDbAsync(db => db.Patients.CountAsync());
        // Valid FHIR but for its NHS number: refused by validation (422) before it reaches the patient index.
        using var badNumber = new StringContent(NewPatient("9434765918").ToJson(), System.Text.Encoding.UTF8, FhirFormat.JsonType); // wrong check digit
        var response = await clerk.Http.PostAsync("/fhir/Patient", badNumber);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var outcome = new FhirJsonDeserializer().Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync());
        Assert.Contains(outcome!.Issue, i => i.Expression.Single() == "Patient.identifier[0].value" && i.Details?.Text?.Contains("NHS number", StringComparison.Ordinal) == true);

        // Valid FHIR that the patient index cannot register (no date of birth): refused naming the element.
        var noBirthDate = NewPatient(UnusedNhsNumber(7));
        noBirthDate.BirthDate = null;
        using var content = new StringContent(noBirthDate.ToJson(), System.Text.Encoding.UTF8, FhirFormat.JsonType);
        response = await clerk.Http.PostAsync("/fhir/Patient", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        outcome = new FhirJsonDeserializer().Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync());
        Assert.Contains(outcome!.Issue, i => i.Expression.Single() == "Patient.birthDate");

        using var notFhir = new StringContent("{\"resourceType\":\"Patient\",\"gender\":42}", System.Text.Encoding.UTF8, FhirFormat.JsonType);
        Assert.Equal(HttpStatusCode.BadRequest, (await clerk.Http.PostAsync("/fhir/Patient", notFhir)).StatusCode);
        var unsupported = await clerk.Http.GetAsync("/fhir/Patient?family=Smith&telecom=0123");
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.StatusCode);
        Assert.Contains("telecom", await unsupported.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.WithDbAsync(db => db.Patients.CountAsync()));

        var id = await app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == "Smith").OrderBy(p => p.Mrn).Select(p => p.Id).FirstAsync());
        using var noIfMatch = new StringContent((await clerk.Http.GetStringAsync($"/fhir/Patient/{id}")), System.Text.Encoding.UTF8, FhirFormat.JsonType);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await clerk.Http.PutAsync($"/fhir/Patient/{id}", noIfMatch)).StatusCode);
        var xml = await clerk.Http.GetAsync($"/fhir/Patient/{id}?_format=xml");
        Assert.Equal(FhirFormat.XmlType, xml.Content.Headers.ContentType?.MediaType);
        Assert.Equal(id.ToString(), new FhirXmlDeserializer().Deserialize<FhirPatient>(await xml.Content.ReadAsStringAsync())!.Id);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_conditional_create_returns_the_existing_patient_instead_of_a_duplicate()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        using var fhir = Client(clerk);
        var nhs = UnusedNhsNumber(2);
        var first = await fhir.CreateAsync(NewPatient(nhs));
        var again = await fhir.ConditionalCreateAsync(NewPatient(nhs), new SearchParams().Add("identifier", $"{UkCore.NhsNumberSystem}|{nhs}"));
        Assert.Equal(first!.Id, again!.Id);
        Assert.Equal(1, await app.WithDbAsync(db => db.Patients.CountAsync(p => p.NhsNumber == nhs)));
    }

    [Fact]
    public async System.Threading.Tasks.Task Roles_are_enforced_on_every_interaction()
    {
        await using var app = LanternApp.On(provider);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        using var fhir = Client(nurse);
        var refused = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.CreateAsync(NewPatient(UnusedNhsNumber(3))));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        using var admin = await StaffBrowser.SignedInAsync(app, "admin"); // sees no patient data
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.GetAsync("/fhir/Patient?family=smith")).StatusCode);
        using var anonymous = app.NewBrowserlessClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/fhir/Patient?family=smith")).StatusCode);
    }
}

public sealed class SqliteFhirPatientTests() : FhirPatientContract(StorageProvider.Sqlite);

public sealed class PostgresFhirPatientTests() : FhirPatientContract(StorageProvider.Postgres);
