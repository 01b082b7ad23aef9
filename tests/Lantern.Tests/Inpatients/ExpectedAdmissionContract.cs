using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lantern.Server.Inpatients.Expected;
using Lantern.Server.Patients;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Lantern.Tests.Inpatients.InpatientTestData;

namespace Lantern.Tests.Inpatients;

/// <summary>Patients expected on a ward: listed on its board, fulfilled by their admission, cancelled with a reason; on each engine.</summary>
public abstract class ExpectedAdmissionContract(StorageProvider provider)
{
    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<JsonNode> ExpectAsync(StaffBrowser clerk, object request)
    {
        var response = await clerk.Http.PostAsJsonAsync("/api/inpatients/expected-admissions", request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await JsonAsync(response);
    }

    private static async Task<IReadOnlyList<int>> ExpectedOnBoardAsync(StaffBrowser staff, string ward) =>
        [.. (await JsonAsync(await staff.Http.GetAsync($"/api/wards/{ward}/board")))["expected"]!.AsArray().Select(e => e!["expectedAdmissionId"]!.GetValue<int>())];

    [Fact]
    public async Task An_expected_patient_is_on_the_ward_s_list_until_admitted_from_it_and_is_expected_again_when_that_admission_is_undone()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var patient = await OutpatientAsync(app, Gender.Female);
        var tomorrow = app.Clock.GetUtcNow().AddDays(1);

        var expected = await ExpectAsync(clerk, new
        {
            patientId = patient.Id, wardCode = "W07", teamId = await TeamAsync(app, Cardiology), expectedAt = tomorrow, admissionMethod = "11",
            reason = "Elective cardioversion",
        });
        var id = expected["id"]!.GetValue<int>();
        Assert.Equal(("expected", "W07", "Elective cardioversion"), (expected["status"]!.GetValue<string>(), expected["ward"]!.GetValue<string>(), expected["reason"]!.GetValue<string>()));
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        Assert.Equal([id], await ExpectedOnBoardAsync(nurse, "W07"));

        // Arrives early, into bed B3, admitted from the list.
        var admit = await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new
        {
            patientId = patient.Id, wardCode = "W07", bedLabel = "B3", teamId = await TeamAsync(app, Cardiology), admissionMethod = "11", admissionSource = "19",
            expectedAdmissionId = id,
        });
        Assert.Equal(HttpStatusCode.Created, admit.StatusCode);
        var spellId = (await JsonAsync(admit))["id"]!.GetValue<int>();
        var fulfilled = await JsonAsync(await clerk.Http.GetAsync($"/api/inpatients/expected-admissions/{id}"));
        Assert.Equal(("admitted", spellId), (fulfilled["status"]!.GetValue<string>(), fulfilled["spellId"]!.GetValue<int>()));
        Assert.Empty(await ExpectedOnBoardAsync(nurse, "W07"));
        var again = await clerk.Http.PostAsJsonAsync($"/api/inpatients/expected-admissions/{id}/cancel", new { reason = "Postponed" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("has been admitted", (await JsonAsync(again))["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // The admission was entered in error: undone, the patient is expected again, as planned.
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/undo", new { reason = "Wrong patient" })).StatusCode);
        var reopened = await JsonAsync(await clerk.Http.GetAsync($"/api/inpatients/expected-admissions/{id}"));
        Assert.Equal("expected", reopened["status"]!.GetValue<string>());
        Assert.Null(reopened["spellId"]);
        Assert.Equal([id], await ExpectedOnBoardAsync(nurse, "W07"));

        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/expected-admissions/{id}/cancel", new { reason = "Patient postponed" })).StatusCode);
        Assert.Empty(await ExpectedOnBoardAsync(nurse, "W07"));
        var history = (await JsonAsync(await clerk.Http.GetAsync($"/api/patients/{patient.Id}/expected-admissions"))).AsArray();
        Assert.Equal(("cancelled", "Patient postponed"), (history.Single()!["status"]!.GetValue<string>(), history.Single()!["cancellationReason"]!.GetValue<string>()));

        // Recorded, then cancelled: audited with who and which patient; the admission's entries name what it did to it.
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.PatientId == patient.Id && (e.RecordType == ExpectedAdmissions.RecordType || e.RecordType == "Spell"))
            .OrderBy(e => e.Sequence).Select(e => new { e.RecordType, e.Action, e.UserName, e.Reason }).ToListAsync());
        Assert.Equal([ExpectedAdmissions.RecordType, "Spell", "Spell", ExpectedAdmissions.RecordType], audit.Where(e => e.Action != Lantern.Server.Audit.AuditAction.Read).Select(e => e.RecordType));
        Assert.All(audit.Where(e => e.Action != Lantern.Server.Audit.AuditAction.Read), e => Assert.Equal("clerk", e.UserName));
        Assert.Contains(audit, e => e.Reason!.Contains($"expected admission {id} fulfilled", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Reason!.Contains($"expected admission {id} expected again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admission_that_names_none_fulfils_the_expectation_due_by_the_end_of_its_day_not_a_later_one()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var patient = await OutpatientAsync(app, Gender.Male);
        var now = app.Clock.GetUtcNow();
        var nextWeek = (await ExpectAsync(clerk, new { patientId = patient.Id, wardCode = "W12", expectedAt = now.AddDays(7), admissionMethod = "11" }))["id"]!.GetValue<int>();
        var thisAfternoon = (await ExpectAsync(clerk, new { patientId = patient.Id, wardCode = "W07", expectedAt = now.AddHours(5), admissionMethod = "22" }))["id"]!.GetValue<int>();

        var admit = await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new
        {
            patientId = patient.Id, wardCode = "W07", bedLabel = "A3", teamId = await TeamAsync(app, Cardiology), admissionMethod = "22", admissionSource = "19",
        });
        Assert.Equal(HttpStatusCode.Created, admit.StatusCode);

        var statuses = await app.WithDbAsync(db => db.ExpectedAdmissions.Where(e => e.PatientId == patient.Id).ToDictionaryAsync(e => e.Id, e => e.Status));
        Assert.Equal(ExpectedAdmissionStatus.Admitted, statuses[thisAfternoon]);
        Assert.Equal(ExpectedAdmissionStatus.Expected, statuses[nextWeek]);
    }

    [Fact]
    public async Task What_cannot_be_recorded_is_refused_by_the_field_and_nothing_is_stored()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var patient = await OutpatientAsync(app, Gender.Female);
        var now = app.Clock.GetUtcNow();

        var refused = await clerk.Http.PostAsJsonAsync("/api/inpatients/expected-admissions", new
        {
            patientId = patient.Id, wardCode = "W99", teamId = 999_999, expectedAt = now.AddDays(-2), admissionMethod = "99", reason = new string('x', 201),
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await JsonAsync(refused))["errors"]!.AsObject();
        Assert.Equal(["admissionMethod", "expectedAt", "reason", "teamId", "wardCode"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        var missingTime = await clerk.Http.PostAsJsonAsync("/api/inpatients/expected-admissions", new { patientId = patient.Id, wardCode = "W07", admissionMethod = "11" });
        Assert.Equal("Enter the date and time the patient is expected", (await JsonAsync(missingTime))["errors"]!["expectedAt"]![0]!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.ExpectedAdmissions.CountAsync(e => e.PatientId == patient.Id)));

        var id = (await ExpectAsync(clerk, new { patientId = patient.Id, wardCode = "W07", expectedAt = now.AddHours(2), admissionMethod = "11" }))["id"]!.GetValue<int>();
        var noReason = await clerk.Http.PostAsJsonAsync($"/api/inpatients/expected-admissions/{id}/cancel", new { reason = " " });
        Assert.Equal("Give the reason for cancelling", (await JsonAsync(noReason))["errors"]!["reason"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.Http.PostAsJsonAsync("/api/inpatients/expected-admissions/999999/cancel", new { reason = "x" })).StatusCode);

        // Ward staff see who is coming; only those who admit may record or cancel.
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.Http.PostAsJsonAsync("/api/inpatients/expected-admissions",
            new { patientId = patient.Id, wardCode = "W07", expectedAt = now.AddHours(2), admissionMethod = "11" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.Http.PostAsJsonAsync($"/api/inpatients/expected-admissions/{id}/cancel", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nurse.Http.GetAsync($"/api/inpatients/expected-admissions/{id}")).StatusCode);
        Assert.Equal(ExpectedAdmissionStatus.Expected, await app.WithDbAsync(db => db.ExpectedAdmissions.Where(e => e.Id == id).Select(e => e.Status).SingleAsync()));
    }
}

public sealed class SqliteExpectedAdmissionTests() : ExpectedAdmissionContract(StorageProvider.Sqlite);

public sealed class PostgresExpectedAdmissionTests() : ExpectedAdmissionContract(StorageProvider.Postgres);
