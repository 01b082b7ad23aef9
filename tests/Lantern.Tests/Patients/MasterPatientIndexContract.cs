using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lantern.Server.Audit;
using Lantern.Server.Inpatients;
using Lantern.Server.Patients;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.BreakGlass;
using Lantern.Tests.Security;
using Lantern.Tests.Support;
using Lantern.Tests.Unit;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Tests.Patients;

/// <summary>The master patient index over its JSON API, on each database engine.</summary>
public abstract class MasterPatientIndexContract(StorageProvider provider)
{
    private static object Details(string family, string given, string born = "1980-01-01", string? nhs = null, string? postcode = null) =>
        new { familyName = family, givenName = given, birthDate = born, gender = "female", nhsNumber = nhs, postcode };

    private static Task<HttpResponseMessage> RegisterAsync(StaffBrowser clerk, object details, bool acceptDuplicates = true) =>
        clerk.Http.PostAsJsonAsync("/api/patients", new { details, acceptPossibleDuplicates = acceptDuplicates });

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<JsonArray> SearchAsync(StaffBrowser who, object criteria)
    {
        var response = await who.Http.PostAsJsonAsync("/api/patients/search", criteria);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response))["patients"]!.AsArray();
    }

    [Fact]
    public async Task Every_NHS_number_vector_goes_through_the_registration_API_with_the_published_verdict()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        // The demo trust already uses some 999-range numbers: registering one again is refused as a repeat, not as invalid.
        var registered = (await app.WithDbAsync(db => db.Patients.Where(p => p.NhsNumber != null).Select(p => p.NhsNumber!).ToListAsync())).ToHashSet();
        var existing = registered.Count;
        var n = 0;
        foreach (var v in MasterPatientIndexRulesTests.Vectors.Where(v => v.Kind == "checksum"))
        {
            var response = await RegisterAsync(clerk, Details("Vector", $"Case{n++}", nhs: v.Input));
            var body = await JsonAsync(response);
            var label = $"{JsonSerializer.Serialize(v.Input)} ({v.Note}): {(int)response.StatusCode} {body.ToJsonString()}";
            if (v.Input.Trim().Length == 0)
            {
                // No NHS number at all: the patient is registered without one, awaiting a trace.
                Assert.True(response.StatusCode == HttpStatusCode.Created, label);
                Assert.Null(body["details"]!["nhsNumber"]?.GetValue<string>());
                Assert.Equal("03", body["details"]!["nhsNumberStatus"]!.GetValue<string>());
            }
            else if (v.Expected == "valid")
            {
                var digits = NhsNumber.Normalise(v.Input)!;
                var expected = registered.Add(digits) ? HttpStatusCode.Created : HttpStatusCode.Conflict; // a repeat is the same person
                Assert.True(response.StatusCode == expected, label);
                if (expected == HttpStatusCode.Created)
                {
                    Assert.Equal(digits, body["details"]!["nhsNumber"]!.GetValue<string>());
                }
                else
                {
                    Assert.Contains("already registered", body["errors"]!["details.nhsNumber"]![0]!.GetValue<string>(), StringComparison.Ordinal);
                }
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, label);
                Assert.NotNull(body["errors"]!["details.nhsNumber"]);
            }
        }
        Assert.Equal(registered.Count - existing + 1, await app.WithDbAsync(db => db.Patients.CountAsync(p => p.FamilyName == "Vector")));
    }

    [Fact]
    public async Task Registration_issues_an_MRN_refuses_a_second_holder_of_an_NHS_number_and_is_audited()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var first = await RegisterAsync(clerk, Details("Okonkwo", "Adaeze", nhs: "943 476 5919", postcode: "ls1 4ap"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var patient = await JsonAsync(first);
        Assert.Matches("^RZZ[0-9]{6,}$", patient["mrn"]!.GetValue<string>());
        Assert.Equal("LS1 4AP", patient["details"]!["postcode"]!.GetValue<string>());

        var second = await RegisterAsync(clerk, Details("Other", "Person", nhs: "9434765919"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(patient["mrn"]!.GetValue<string>(), (await JsonAsync(second))["errors"]!["details.nhsNumber"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var id = patient["id"]!.GetValue<Guid>();
        var entry = await app.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.PatientId == id && e.Action == AuditAction.Create));
        Assert.Equal("clerk", entry.UserName);
    }

    [Fact]
    public async Task A_near_twin_is_shown_as_a_possible_duplicate_before_saving()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var twin = new { familyName = "Smyth", givenName = "Jon", birthDate = "1956-03-12", gender = "male" };
        var before = await app.WithDbAsync(db => db.Patients.CountAsync());

        var response = await RegisterAsync(clerk, twin, acceptDuplicates: false);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var duplicates = (await JsonAsync(response))["duplicates"]!.AsArray();
        Assert.Contains(duplicates, d => d!["patient"]!["familyName"]!.GetValue<string>() == "Smith" && d["patient"]!["givenName"]!.GetValue<string>() == "John");
        Assert.Equal(before, await app.WithDbAsync(db => db.Patients.CountAsync()));
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(clerk, twin, acceptDuplicates: true)).StatusCode);
    }

    [Fact]
    public async Task Possible_duplicates_come_by_birth_date_by_NHS_number_and_by_postcode_with_a_like_sounding_name_but_never_a_sealed_record_unseen()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var created = await RegisterAsync(clerk, Details("Fairbrother", "Wilhelmina", "1961-07-14", "9434765870", "LS1 4AP"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var wilhelmina = (await JsonAsync(created))["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(clerk, Details("Fairbrother", "Ada", "1970-02-02", postcode: "LS2 9JT"))).StatusCode);
        async Task<List<(string Given, int Score)>> DuplicatesAsync(object details)
        {
            var response = await clerk.Http.PostAsJsonAsync("/api/patients/duplicates", details);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await JsonAsync(response)).AsArray().Select(d => (d!["patient"]!["givenName"]!.GetValue<string>(), d["score"]!.GetValue<int>()))];
        }

        // Same date of birth and names; same NHS number (nothing else alike); same postcode, sound-alike family name, born the same month.
        Assert.Contains(("Wilhelmina", 80), await DuplicatesAsync(Details("Fairbrother", "Wilhelmina", "1961-07-14")));
        Assert.Contains(("Wilhelmina", 100), await DuplicatesAsync(Details("Quist", "Zena", "1999-12-30", "9434765870")));
        Assert.Contains(("Ada", 68), await DuplicatesAsync(Details("Fairbrothers", "Ada", "1970-02-20", postcode: "LS2 9JT")));

        // Sealed: unseen by a clerk without permission for sensitive records, found again once they have it.
        await app.WithDbAsync(db => db.Patients.Where(p => p.Id == wilhelmina).ExecuteUpdateAsync(u => u.SetProperty(p => p.IsSensitive, true)));
        Assert.DoesNotContain(await DuplicatesAsync(Details("Fairbrother", "Wilhelmina", "1961-07-14", "9434765870", "LS1 4AP")), d => d.Given == "Wilhelmina");
        await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "clerk").ExecuteUpdateAsync(u => u.SetProperty(x => x.MaySeeSensitiveRecords, true)));
        Assert.Contains(("Wilhelmina", 100), await DuplicatesAsync(Details("Fairbrother", "Wilhelmina", "1961-07-14", "9434765870", "LS1 4AP")));
    }

    [Fact]
    public async Task Search_finds_by_sound_by_NHS_number_with_any_spacing_and_by_combinations()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(clerk, Details("Lindqvist", "Astrid", "1979-05-01", "9434765919", "HX1 2PQ"))).StatusCode);

        Assert.Contains(await SearchAsync(clerk, new { familyName = "smyth" }), p => p!["familyName"]!.GetValue<string>() == "Smith");
        Assert.DoesNotContain(await SearchAsync(clerk, new { familyName = "smyth", soundsLike = false }), p => p!["familyName"]!.GetValue<string>() == "Smith");
        Assert.Contains(await SearchAsync(clerk, new { familyName = "Mcdonald" }), p => p!["familyName"]!.GetValue<string>() == "MacDonald");
        Assert.Contains(await SearchAsync(clerk, new { familyName = "o'bri" }), p => p!["familyName"]!.GetValue<string>() == "O'Brien");
        foreach (var typed in new[] { "943 476 5919", "943-476-5919", " 9434765919 ", "94 34 76 59 19" })
        {
            Assert.Equal("Lindqvist", Assert.Single(await SearchAsync(clerk, new { nhsNumber = typed }))!["familyName"]!.GetValue<string>());
        }
        Assert.Single(await SearchAsync(clerk, new { familyName = "lind", birthDate = "1979" }));
        Assert.Single(await SearchAsync(clerk, new { givenName = "astrid", postcode = "hx1" }));
        Assert.Empty(await SearchAsync(clerk, new { familyName = "lind", birthDate = "1979-05-02" }));
        Assert.Empty(await SearchAsync(clerk, new { familyName = "lind", gender = "male" }));

        var invalid = await clerk.Http.PostAsJsonAsync("/api/patients/search", new { nhsNumber = "943 476 5918" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull((await JsonAsync(invalid))["errors"]!["nhsNumber"]);
    }

    [Fact]
    public async Task A_previous_family_name_still_finds_the_patient_by_prefix_and_by_sound()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var created = await JsonAsync(await RegisterAsync(clerk, new { familyName = "Quartermaine", givenName = "Ottilie", previousFamilyName = "Featherstonehaugh",
            birthDate = "1961-07-04", gender = "female" }));
        var id = created["id"]!.GetValue<Guid>();
        Assert.Equal(id, Assert.Single(await SearchAsync(clerk, new { familyName = "featherst" }))!["id"]!.GetValue<Guid>());

        // Marriage: the family name changes and the old one is kept, and still found by sound.
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/patients/{id}")
        {
            Content = JsonContent.Create(new { familyName = "Ravensworth", givenName = "Ottilie", birthDate = "1961-07-04", gender = "female" }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", (await clerk.Http.GetAsync($"/api/patients/{id}")).Headers.ETag!.ToString());
        var updated = await JsonAsync(await clerk.Http.SendAsync(put));
        Assert.Equal(["Featherstonehaugh", "Quartermaine"], updated["previousNames"]!.AsArray().Select(n => n!["familyName"]!.GetValue<string>()).Order());
        Assert.Equal("Ravensworth", Assert.Single(await SearchAsync(clerk, new { familyName = "Quartermane" }))!["familyName"]!.GetValue<string>());
        Assert.Single(await SearchAsync(clerk, new { familyName = "ravens", soundsLike = false }));
    }

    [Fact]
    public async Task Search_pages_through_results_in_name_order_without_repeats()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(clerk, Details(i % 2 == 0 ? "Zephyr" : "Zefir", $"Name{(char)('A' + i)}", postcode: "YO1 7HH"))).StatusCode);
        }
        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var response = await clerk.Http.PostAsJsonAsync("/api/patients/search", new { familyName = "zephyr", page, pageSize = 3 });
            var body = await JsonAsync(response);
            seen.AddRange(body["patients"]!.AsArray().Select(p => $"{p!["familyNameKey"]} {p["givenNameKey"]}"));
            Assert.Equal(page < 3, body["hasMore"]!.GetValue<bool>());
        }
        Assert.Equal(7, seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task A_stale_update_is_refused_and_changes_nothing()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var created = await JsonAsync(await RegisterAsync(clerk, Details("Marsh", "Delia")));
        var id = created["id"]!.GetValue<Guid>();
        var read = await clerk.Http.GetAsync($"/api/patients/{id}");
        var etag = read.Headers.ETag!.ToString();

        using var first = new HttpRequestMessage(HttpMethod.Put, $"/api/patients/{id}") { Content = JsonContent.Create(Details("Marsh", "Delia", postcode: "LS6 1AA")) };
        first.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.SendAsync(first)).StatusCode);

        using var second = new HttpRequestMessage(HttpMethod.Put, $"/api/patients/{id}") { Content = JsonContent.Create(Details("Marsh-Smith", "Delia")) };
        second.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await clerk.Http.SendAsync(second)).StatusCode);

        var noPrecondition = await clerk.Http.PutAsJsonAsync($"/api/patients/{id}", Details("Marsh-Smith", "Delia"));
        Assert.Equal(HttpStatusCode.PreconditionRequired, noPrecondition.StatusCode);

        var stored = await app.WithDbAsync(db => db.Patients.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal(("Marsh", "LS6 1AA", 1), (stored.FamilyName, stored.Postcode, stored.Version));
    }

    [Fact]
    public async Task Merge_then_unmerge_leaves_every_linked_record_where_it_started_and_both_are_audited()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var hughesIds = await app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == "Hughes" && p.GivenName == "Edith")
            .OrderBy(p => p.NhsNumber == null).Select(p => p.Id).ToListAsync());
        var (survivor, retired) = (hughesIds[0], hughesIds[1]); // the inpatient, and her old registration without an NHS number
        await app.WithDbAsync(async db =>
        {
            // History on the old registration: a past admission and a break-glass grant.
            var ward = await db.Wards.FirstAsync(w => w.Code == "W12");
            var spell = new Spell(retired, ward.Id, null, null, new DateTime(2019, 2, 1, 10, 0, 0, DateTimeKind.Utc));
            spell.Discharge(new DateTime(2019, 2, 8, 12, 0, 0, DateTimeKind.Utc));
            db.Spells.Add(spell);
            db.BreakGlassAccesses.Add(new BreakGlassAccess(retired, "doctor", "Doctor", BreakGlassReason.EmergencyCare, "test",
                new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc), TimeSpan.FromHours(8)));
            return await db.SaveChangesAsync();
        });
        async Task<Dictionary<string, Guid>> LinksAsync() => await app.WithDbAsync(async db =>
            (await db.Spells.Where(s => s.PatientId == survivor || s.PatientId == retired).Select(s => new { Key = "spell" + s.Id, s.PatientId }).ToListAsync())
            .Concat(await db.BreakGlassAccesses.Where(b => b.PatientId == survivor || b.PatientId == retired).Select(b => new { Key = "glass" + b.Id, b.PatientId }).ToListAsync())
            .ToDictionary(x => x.Key, x => x.PatientId));
        var before = await LinksAsync();
        Assert.Equal(2, before.Values.Count(v => v == retired));

        var merge = await clerk.Http.PostAsJsonAsync("/api/patient-merges", new { survivorId = survivor, retiredId = retired, reason = "Same person: DOB and name, old address confirmed" });
        Assert.Equal(HttpStatusCode.Created, merge.StatusCode);
        var mergeId = (await JsonAsync(merge))["id"]!.GetValue<Guid>();
        Assert.All((await LinksAsync()).Values, v => Assert.Equal(survivor, v));
        var redirect = await clerk.Http.GetAsync($"/api/patients/{retired}");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal($"/api/patients/{survivor}", redirect.Headers.Location!.OriginalString);
        Assert.Single(await SearchAsync(clerk, new { familyName = "hughes", givenName = "edith" }));
        Assert.Equal(HttpStatusCode.Conflict, (await clerk.Http.PostAsJsonAsync("/api/patient-merges", new { survivorId = survivor, retiredId = retired, reason = "again" })).StatusCode);

        var unmerge = await clerk.Http.PostAsJsonAsync($"/api/patient-merges/{mergeId}/unmerge", new { reason = "Merged in error: different person" });
        Assert.Equal(HttpStatusCode.OK, unmerge.StatusCode);
        Assert.Equal(before, await LinksAsync());
        Assert.Equal(2, (await SearchAsync(clerk, new { familyName = "hughes", givenName = "edith" })).Count);

        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditAction.Merge || e.Action == AuditAction.Unmerge)
            .Select(e => new { e.Action, e.PatientId, e.UserName }).ToListAsync());
        Assert.Equal(4, audit.Count);
        foreach (var action in new[] { AuditAction.Merge, AuditAction.Unmerge })
        {
            Assert.Equal(new[] { retired, survivor }.Order(), audit.Where(a => a.Action == action).Select(a => a.PatientId!.Value).Order());
        }
        Assert.All(audit, a => Assert.Equal("clerk", a.UserName));
    }

    [Fact]
    public async Task Only_merge_staff_may_merge_and_a_nurse_may_not_register()
    {
        await using var app = LanternApp.On(provider);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        using var ed = await StaffBrowser.SignedInAsync(app, "edclinician");
        var smith = await AuditTrailContract.PatientIdAsync(app, "Smith");
        var patel = await AuditTrailContract.PatientIdAsync(app, "Patel");

        Assert.Equal(HttpStatusCode.Forbidden, (await RegisterAsync(nurse, Details("Nope", "Nurse"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ed.Http.PostAsJsonAsync("/api/patient-merges", new { survivorId = smith, retiredId = patel, reason = "x" })).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Patients.Where(p => p.MergedIntoId != null).Select(p => (Guid?)p.Id).FirstOrDefaultAsync()));
    }
}

public sealed class SqliteMasterPatientIndexTests() : MasterPatientIndexContract(StorageProvider.Sqlite);

public sealed class PostgresMasterPatientIndexTests() : MasterPatientIndexContract(StorageProvider.Postgres);
