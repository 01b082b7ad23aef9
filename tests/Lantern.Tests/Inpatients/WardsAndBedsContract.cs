using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Lantern.Tests.Inpatients.InpatientTestData;

namespace Lantern.Tests.Inpatients;

/// <summary>Bed states, ward layout, the bed board, a patient's journey and live board signals, on each database engine.</summary>
public abstract class WardsAndBedsContract(StorageProvider provider)
{
    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<Guid> OutpatientAsync(LanternApp app, Gender gender) => (await InpatientTestData.OutpatientAsync(app, gender)).Id;

    private static async Task<HttpResponseMessage> AdmitAsync(LanternApp app, StaffBrowser clerk, Guid patient, string ward, string bed)
    {
        var team = await TeamAsync(app, Cardiology);
        return await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions",
            new { patientId = patient, wardCode = ward, bedLabel = bed, teamId = team, admissionMethod = "21", admissionSource = "19" });
    }

    [Fact]
    public async Task Ward_staff_clean_close_and_reopen_empty_beds_but_never_an_occupied_one()
    {
        await using var app = LanternApp.On(provider);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        Task<HttpResponseMessage> Set(string bed, string status) => nurse.Http.PostAsJsonAsync($"/api/wards/W07/beds/{bed}/status", new { status });

        Assert.Equal(HttpStatusCode.NoContent, (await Set("A4", "cleaning")).StatusCode);
        Assert.Equal(BedStatus.Cleaning, await BedAsync(app, "W07", "A4"));
        Assert.Equal(HttpStatusCode.NoContent, (await Set("A4", "available")).StatusCode);
        Assert.Equal(BedStatus.Available, await BedAsync(app, "W07", "A4"));
        Assert.Equal(HttpStatusCode.NoContent, (await Set("A4", "closed")).StatusCode);
        Assert.Equal(BedStatus.Closed, await BedAsync(app, "W07", "A4"));

        var cleaningClosed = await Set("A4", "cleaning");
        Assert.Equal(HttpStatusCode.BadRequest, cleaningClosed.StatusCode);
        Assert.Contains("reopen it first", (await JsonAsync(cleaningClosed))["errors"]!["status"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var occupied = await Set("A1", "closed");
        Assert.Equal(HttpStatusCode.BadRequest, occupied.StatusCode);
        Assert.Contains("has a patient in it", (await JsonAsync(occupied))["errors"]!["status"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(BedStatus.Occupied, await BedAsync(app, "W07", "A1"));
        Assert.Equal(HttpStatusCode.BadRequest, (await Set("A5", "occupied")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Set("Z9", "closed")).StatusCode);

        // A closed bed takes no admission until it is reopened.
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var man = await OutpatientAsync(app, Gender.Male);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdmitAsync(app, clerk, man, "W07", "A4")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Set("A4", "available")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await AdmitAsync(app, clerk, man, "W07", "A4")).StatusCode);

        Assert.Equal(4, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.RecordType == "Bed" && e.RecordId == "W07 A4" && e.UserName == "nurse")));
        using var doctor = await StaffBrowser.SignedInAsync(app, "doctor");
        Assert.Equal(HttpStatusCode.Forbidden, (await doctor.Http.PostAsJsonAsync("/api/wards/W07/beds/A5/status", new { status = "closed" })).StatusCode);
    }

    [Fact]
    public async Task An_administrator_adds_bays_and_beds_and_redesignates_a_bay_only_when_its_patients_allow()
    {
        await using var app = LanternApp.On(provider);
        using var admin = await StaffBrowser.SignedInAsync(app, "admin");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsJsonAsync("/api/wards/W07/bays", new { name = "e", sex = "male", beds = 3 })).StatusCode);
        Assert.Equal(["E1", "E2", "E3"], await app.WithDbAsync(db => db.Beds.Where(b => b.Bay!.Name == "E" && db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07"))
            .OrderBy(b => b.Label).Select(b => b.Label).ToListAsync()));
        var again = await admin.Http.PostAsJsonAsync("/api/wards/W07/bays", new { name = "E", sex = "female", beds = 1 });
        Assert.Contains("already has a bay E", (await JsonAsync(again))["errors"]!["name"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var noSex = await JsonAsync(await admin.Http.PostAsJsonAsync("/api/wards/W07/bays", new { name = "F", beds = 100 }));
        Assert.NotNull(noSex["errors"]!["sex"]);
        Assert.NotNull(noSex["errors"]!["beds"]);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsJsonAsync("/api/wards/W07/beds", new { label = "SR5" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsJsonAsync("/api/wards/W07/beds", new { label = "E4", bay = "E" })).StatusCode);
        var clash = await JsonAsync(await admin.Http.PostAsJsonAsync("/api/wards/W07/beds", new { label = "A1", bay = "Q" }));
        Assert.Contains("already has a bed A1", clash["errors"]!["label"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("no bay Q", clash["errors"]!["bay"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // Bay B has two women in it: it cannot become a male bay, but it can become mixed.
        var male = await admin.Http.PutAsJsonAsync("/api/wards/W07/bays/B", new { sex = "male" });
        Assert.Equal(HttpStatusCode.BadRequest, male.StatusCode);
        Assert.Contains("bed B1, B2", (await JsonAsync(male))["errors"]!["sex"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(SexOfBay.Female, await app.WithDbAsync(db => db.Bays.Where(b => b.Name == "B" && db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")).Select(b => b.Sex).FirstAsync()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync("/api/wards/W07/bays/B", new { sex = "mixed" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync("/api/wards/W07/bays/D", new { sex = "male" })).StatusCode);

        // The new beds take patients like any other.
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        Assert.Equal(HttpStatusCode.Created, (await AdmitAsync(app, clerk, await OutpatientAsync(app, Gender.Male), "W07", "E2")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Http.PostAsJsonAsync("/api/wards/W07/beds", new { label = "SR9" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.GetAsync("/api/wards/W07/board")).StatusCode);
        Assert.Equal(5, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.RecordType == "Ward" && e.UserName == "admin")));
    }

    [Fact]
    public async Task The_board_shows_each_bed_with_its_patient_and_hides_a_sealed_record()
    {
        await using var app = LanternApp.On(provider);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var board = await JsonAsync(await nurse.Http.GetAsync("/api/wards/W07/board"));
        var beds = board["beds"]!.AsArray().ToDictionary(b => b!["label"]!.GetValue<string>());

        Assert.Equal(24, beds.Count);
        Assert.Equal("SMITH", beds["A1"]!["patient"]!["familyName"]!.GetValue<string>().ToUpperInvariant());
        Assert.Equal("occupied", beds["A1"]!["status"]!.GetValue<string>());
        Assert.Equal("male", beds["A1"]!["baySex"]!.GetValue<string>());
        Assert.True(beds["B2"]!["patient"]!["restricted"]!.GetValue<bool>());
        Assert.Null(beds["B2"]!["patient"]!["familyName"]);
        Assert.Null(beds["B2"]!["patient"]!["patientId"]);
        Assert.Null(beds["A3"]!["patient"]);
        Assert.DoesNotContain("Williams", board.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.RecordType == "BedBoard" && e.RecordId == "W07" && e.UserName == "nurse")));

        var wards = await JsonAsync(await nurse.Http.GetAsync("/api/wards"));
        var w07 = wards.AsArray().Single(w => w!["code"]!.GetValue<string>() == "W07")!;
        Assert.Equal(5, w07["occupied"]!.GetValue<int>());
        Assert.Equal(24, w07["beds"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_patients_journey_lists_each_admission_with_its_movements()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var patient = await OutpatientAsync(app, Gender.Female);
        var spellId = (await JsonAsync(await AdmitAsync(app, clerk, patient, "W07", "D1")))["id"]!.GetValue<int>();
        var transfer = await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/transfer", new { wardCode = "W12", bedLabel = "B5" });
        Assert.True(transfer.StatusCode == HttpStatusCode.OK, await transfer.Content.ReadAsStringAsync());

        var journey = (await JsonAsync(await clerk.Http.GetAsync($"/api/patients/{patient}/spells"))).AsArray();
        var spell = Assert.Single(journey)!;
        Assert.Equal(["W07 D1", "W12 B5"], spell["wardStays"]!.AsArray().Select(s => $"{s!["ward"]} {s["bed"]}"));
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.Http.GetAsync($"/api/patients/{Guid.NewGuid()}/spells")).StatusCode);
    }

    [Fact]
    public async Task Ward_nurses_gain_the_clinical_record_when_a_patient_is_moved_to_their_ward_and_lose_it_on_discharge()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse"); // a Ward 7 nurse
        var patient = await OutpatientAsync(app, Gender.Female);
        async Task<string> NurseSeesAsync()
        {
            var response = await nurse.Http.GetAsync($"/patients/{patient}");
            return response.StatusCode == HttpStatusCode.Redirect ? response.Headers.Location!.OriginalString
                : StaffBrowser.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[data-testid=access-basis]")?.TextContent.Trim() ?? "demographics only";
        }

        var spellId = (await JsonAsync(await AdmitAsync(app, clerk, patient, "W12", "B5")))["id"]!.GetValue<int>();
        Assert.EndsWith("/break-glass", await NurseSeesAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/transfer", new { wardCode = "W07", bedLabel = "B4" })).StatusCode);
        Assert.Contains("the patient is on your ward", await NurseSeesAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/discharge", new { dischargeMethod = "1", dischargeDestination = "19" })).StatusCode);
        Assert.EndsWith("/break-glass", await NurseSeesAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_expected_discharge_date_is_revised_on_the_board_sent_on_and_left_alone_by_undo()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var spellId = (await JsonAsync(await AdmitAsync(app, clerk, await OutpatientAsync(app, Gender.Male), "W07", "A3")))["id"]!.GetValue<int>();

        var revised = await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/expected-discharge", new { expectedDischargeDate = "2026-11-30" });
        Assert.Equal("2026-11-30", (await JsonAsync(revised))["expectedDischargeDate"]!.GetValue<string>());
        var board = await JsonAsync(await clerk.Http.GetAsync("/api/wards/W07/board"));
        Assert.Equal("2026-11-30", board["beds"]!.AsArray().Single(b => b!["label"]!.GetValue<string>() == "A3")!["patient"]!["expectedDischargeDate"]!.GetValue<string>());
        var early = await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/expected-discharge", new { expectedDischargeDate = "2026-11-01" });
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.NotNull((await JsonAsync(early))["errors"]!["expectedDischargeDate"]);
        Assert.Equal(["A01", "A08"], await app.WithDbAsync(db => db.Outbox.OrderBy(m => m.Id).Select(m => m.EventType).ToListAsync()));

        // Undo takes back the admission itself, not the date revision.
        var undone = await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/undo", new { reason = "Wrong patient" });
        Assert.Equal("cancelled", (await JsonAsync(undone))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_open_board_is_told_when_its_ward_changes()
    {
        await using var app = LanternApp.On(provider);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var stream = await nurse.Http.GetAsync("/wards/W07/changes", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        async Task<string> NextDataAsync()
        {
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    return line["data: ".Length..];
                }
            }
            return "(stream ended)";
        }
        Assert.Equal("watching", await NextDataAsync());

        // A change on another ward says nothing to this board; the admission to W07 does.
        Assert.Equal(HttpStatusCode.Created, (await AdmitAsync(app, clerk, await OutpatientAsync(app, Gender.Male), "W12", "A3")).StatusCode);
        var admitted = await AdmitAsync(app, clerk, await OutpatientAsync(app, Gender.Male), "W07", "A3");
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        Assert.Equal("changed", await NextDataAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await nurse.Http.PostAsJsonAsync("/api/wards/W07/beds/A6/status", new { status = "closed" })).StatusCode);
        Assert.Equal("changed", await NextDataAsync());

        // Moving a patient off the ward frees a bed on it, and so does taking back a move onto it.
        var spellId = (await JsonAsync(admitted))["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/transfer", new { wardCode = "W12", bedLabel = "C5" })).StatusCode);
        Assert.Equal("changed", await NextDataAsync());
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/undo", new { reason = "Moved in error" })).StatusCode);
        Assert.Equal("changed", await NextDataAsync());
        var second = (await JsonAsync(await AdmitAsync(app, clerk, await OutpatientAsync(app, Gender.Male), "W12", "C6")))["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{second}/transfer", new { wardCode = "W07", bedLabel = "A4" })).StatusCode);
        Assert.Equal("changed", await NextDataAsync());
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{second}/undo", new { reason = "Moved in error" })).StatusCode);
        Assert.Equal("changed", await NextDataAsync());
    }
}

public sealed class SqliteWardsAndBedsTests() : WardsAndBedsContract(StorageProvider.Sqlite);

public sealed class PostgresWardsAndBedsTests() : WardsAndBedsContract(StorageProvider.Postgres);
