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

/// <summary>Admissions, transfers, consultant changes, discharges and their undoing, on each database engine.</summary>
public abstract class AdtContract(StorageProvider provider)
{
    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<Guid> OutpatientAsync(LanternApp app, Gender gender) => (await InpatientTestData.OutpatientAsync(app, gender)).Id;

    /// <summary>Everything an ADT command may touch, as comparable text: spells with stays, episodes and events, and bed states.</summary>
    private static Task<string> StateAsync(LanternApp app, string[] wards) => app.WithDbAsync(async db =>
    {
        var spells = await db.Spells.AsNoTracking().Include(s => s.WardStays).Include(s => s.Episodes).Include(s => s.Events).AsSplitQuery()
            .OrderBy(s => s.Id).ToListAsync();
        var beds = await db.Beds.AsNoTracking().Where(b => db.Wards.Any(w => w.Id == b.WardId && wards.Contains(w.Code))).OrderBy(b => b.Id)
            .Select(b => $"{b.Id}:{b.Status}").ToListAsync();
        return string.Join("\n", spells.Select(s => $"{s.Id} {s.PatientId} {s.WardId}/{s.BedId}/{s.ResponsibleTeamId} {s.DischargedAt} {s.CancelledAt} "
            + string.Join(",", s.WardStays.OrderBy(w => w.Id).Select(w => $"[{w.WardId}/{w.BedId} {w.StartedAt:O}-{w.EndedAt:O}]"))
            + string.Join(",", s.Episodes.OrderBy(e => e.Id).Select(e => $"<{e.TeamId} {e.StartedAt:O}-{e.EndedAt:O}>"))
            + $" events {s.Events.Count(e => e.UndoneAt == null)}").Concat(beds));
    });

    [Fact]
    public async Task Admit_transfer_change_consultant_discharge_then_undo_each_step_back_to_the_start()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var patient = await OutpatientAsync(app, Gender.Female);
        string[] wards = ["W07", "W12"];
        var states = new List<string> { await StateAsync(app, wards) };
        var t0 = app.Clock.GetUtcNow().AddHours(-30);

        var admit = await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new
        {
            patientId = patient, wardCode = "W07", bedLabel = "B3", teamId = await TeamAsync(app, Cardiology),
            admissionMethod = "21", admissionSource = "19", expectedDischargeDate = "2026-11-28", at = t0,
        });
        Assert.Equal(HttpStatusCode.Created, admit.StatusCode);
        var spellId = (await JsonAsync(admit))["id"]!.GetValue<int>();
        Assert.Equal(BedStatus.Occupied, await BedAsync(app, "W07", "B3"));
        states.Add(await StateAsync(app, wards));

        var transfer = await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/transfer", new { wardCode = "W12", bedLabel = "B3", at = t0.AddHours(6) });
        Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        Assert.Equal((BedStatus.Cleaning, BedStatus.Occupied), (await BedAsync(app, "W07", "B3"), await BedAsync(app, "W12", "B3")));
        states.Add(await StateAsync(app, wards));

        var consultant = await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/consultant", new { teamId = await TeamAsync(app, Elderly), at = t0.AddHours(7) });
        Assert.Equal(HttpStatusCode.OK, consultant.StatusCode);
        states.Add(await StateAsync(app, wards));

        var discharge = await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/discharge", new { dischargeMethod = "1", dischargeDestination = "19", at = t0.AddHours(28) });
        Assert.Equal(HttpStatusCode.OK, discharge.StatusCode);
        var spell = await JsonAsync(discharge);
        Assert.Equal("discharged", spell["status"]!.GetValue<string>());
        Assert.Equal(2, spell["wardStays"]!.AsArray().Count);
        Assert.Equal(2, spell["episodes"]!.AsArray().Count);
        Assert.All(spell["wardStays"]!.AsArray(), s => Assert.NotNull(s!["endedAt"]?.GetValue<DateTime>()));
        Assert.Equal(1, spell["lengthOfStayDays"]!.GetValue<int>());
        Assert.Equal(BedStatus.Cleaning, await BedAsync(app, "W12", "B3"));
        states.Add(await StateAsync(app, wards));
        Assert.Equal(["A01", "A02", "A54", "A03"], await app.WithDbAsync(db => db.Outbox.OrderBy(m => m.Id).Select(m => m.EventType).ToListAsync()));

        // Undo in turn: each restores exactly the state before the step (beds included).
        for (var step = states.Count - 2; step >= 0; step--)
        {
            var undo = await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/undo", new { reason = "Entered in error" });
            Assert.True(undo.StatusCode == HttpStatusCode.OK, await undo.Content.ReadAsStringAsync());
            var now = await StateAsync(app, wards);
            if (step > 0)
            {
                Assert.Equal(states[step], now);
            }
            else
            {
                // The cancelled admission is kept (marked cancelled) for the record; the beds are as at the start.
                Assert.Equal(states[0].Split('\n').Where(l => !l.Contains(patient.ToString(), StringComparison.Ordinal)),
                    now.Split('\n').Where(l => !l.Contains(patient.ToString(), StringComparison.Ordinal)));
            }
        }
        Assert.Equal(["A01", "A02", "A54", "A03", "A13", "A55", "A12", "A11"], await app.WithDbAsync(db => db.Outbox.OrderBy(m => m.Id).Select(m => m.EventType).ToListAsync()));
        Assert.Equal(8, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.RecordType == "Spell" && e.PatientId == patient)));
    }

    [Fact]
    public async Task Admitting_into_an_occupied_bed_is_refused_and_changes_nothing()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var patient = await OutpatientAsync(app, Gender.Male);
        var before = await StateAsync(app, ["W07"]);
        var outbox = await app.WithDbAsync(db => db.Outbox.CountAsync());

        var response = await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new
        {
            patientId = patient, wardCode = "W07", bedLabel = "A1", teamId = await TeamAsync(app, Cardiology), admissionMethod = "21", admissionSource = "19",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("occupied", (await JsonAsync(response))["errors"]!["bedLabel"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(app, ["W07"]));
        Assert.Equal(outbox, await app.WithDbAsync(db => db.Outbox.CountAsync()));
    }

    [Fact]
    public async Task Impossible_moves_are_refused_with_the_reason()
    {
        await using var app = LanternApp.On(provider);
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var man = await OutpatientAsync(app, Gender.Male);
        var cardiology = await TeamAsync(app, Cardiology);
        async Task<JsonNode> Refused(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await JsonAsync(response);
        }

        var femaleBay = await Refused(await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new { patientId = man, wardCode = "W07", bedLabel = "D1", teamId = cardiology, admissionMethod = "21", admissionSource = "19" }));
        Assert.Contains("female bay", femaleBay["errors"]!["bedLabel"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var badCodes = await Refused(await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new { patientId = man, wardCode = "W07", bedLabel = "A3", teamId = cardiology, admissionMethod = "99", admissionSource = "" }));
        Assert.NotNull(badCodes["errors"]!["admissionMethod"]);
        Assert.NotNull(badCodes["errors"]!["admissionSource"]);

        var admitted = await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new { patientId = man, wardCode = "W07", bedLabel = "A3", teamId = cardiology, admissionMethod = "22", admissionSource = "19", at = app.Clock.GetUtcNow().AddHours(-2) });
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        var spellId = (await JsonAsync(admitted))["id"]!.GetValue<int>();
        var again = await Refused(await clerk.Http.PostAsJsonAsync("/api/inpatients/admissions", new { patientId = man, wardCode = "W07", bedLabel = "A4", teamId = cardiology, admissionMethod = "21", admissionSource = "19" }));
        Assert.Contains("already in hospital", again["errors"]!["patientId"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var early = await Refused(await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/discharge", new { dischargeMethod = "1", dischargeDestination = "19", at = app.Clock.GetUtcNow().AddHours(-3) }));
        Assert.NotNull(early["errors"]!["at"]);
        Assert.Equal(HttpStatusCode.OK, (await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/discharge", new { dischargeMethod = "1", dischargeDestination = "19" })).StatusCode);
        var afterDischarge = await Refused(await clerk.Http.PostAsJsonAsync($"/api/inpatients/spells/{spellId}/transfer", new { wardCode = "W07", bedLabel = "A4" }));
        Assert.Contains("no longer in hospital", afterDischarge["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_clerks_admitting_into_one_bed_at_once_get_one_admission()
    {
        await using var app = LanternApp.On(provider);
        using var first = await StaffBrowser.SignedInAsync(app, "clerk");
        using var second = await StaffBrowser.SignedInAsync(app, "clerk");
        var patients = await app.WithDbAsync(db => db.Patients.Where(p => p.Gender == Gender.Male && p.MergedIntoId == null && !db.Spells.Any(s => s.PatientId == p.Id))
            .OrderBy(p => p.Mrn).Select(p => p.Id).Take(2).ToListAsync());
        var cardiology = await TeamAsync(app, Cardiology);

        var responses = await Task.WhenAll(new[] { first, second }.Select((clerk, i) => clerk.Http.PostAsJsonAsync("/api/inpatients/admissions",
            new { patientId = patients[i], wardCode = "W07", bedLabel = "A5", teamId = cardiology, admissionMethod = "21", admissionSource = "19" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(responses, r => r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict);
        Assert.Equal(1, await app.WithDbAsync(db => db.Spells.Where(Lantern.Server.Inpatients.Spell.Current).CountAsync(s => s.BedId == db.Beds.First(b => b.Label == "A5" && db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")).Id)));
    }

    [Fact]
    public async Task A_nurse_may_read_but_not_admit()
    {
        await using var app = LanternApp.On(provider);
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var response = await nurse.Http.PostAsJsonAsync("/api/inpatients/admissions", new { patientId = await OutpatientAsync(app, Gender.Male), wardCode = "W07", bedLabel = "A3", teamId = 1, admissionMethod = "21", admissionSource = "19" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var smithSpell = await app.WithDbAsync(db => db.Spells.Where(s => s.Patient!.FamilyName == "Smith").OrderBy(s => s.Id).Select(s => s.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.OK, (await nurse.Http.GetAsync($"/api/inpatients/spells/{smithSpell}")).StatusCode);
    }
}

public sealed class SqliteAdtTests() : AdtContract(StorageProvider.Sqlite);

public sealed class PostgresAdtTests() : AdtContract(StorageProvider.Postgres);
