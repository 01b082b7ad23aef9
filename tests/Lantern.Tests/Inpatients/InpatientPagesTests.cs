using System.Net;
using Lantern.Server.Inpatients.Expected;
using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Lantern.Tests.Inpatients.InpatientTestData;

namespace Lantern.Tests.Inpatients;

/// <summary>The pages ward staff use: bed board with filters, admitting, moving and discharging, bed states, ward layout.</summary>
public sealed class InpatientPagesTests
{
    [Fact]
    public async Task The_bed_board_lists_every_bed_hides_a_sealed_record_and_filters()
    {
        await using var app = LanternApp.Sqlite();
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");

        var board = await nurse.GetPageAsync("/wards/W07");
        Assert.Equal(24, board.QuerySelectorAll("[data-testid=bed-board] tbody tr").Length);
        Assert.Contains("SMITH, John", board.QuerySelector("[data-testid=bed-A1]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Restricted patient", board.QuerySelector("[data-testid=bed-B2]")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("WILLIAMS", board.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("5 occupied · 19 free", board.QuerySelector("[data-testid=bed-summary]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(board.QuerySelector("[data-bed-board][data-changes='/wards/W07/changes']"));

        var occupied = await nurse.GetPageAsync("/wards/W07?Show=occupied");
        Assert.Equal(["bed-A1", "bed-A2", "bed-B1", "bed-B2", "bed-C1"], occupied.QuerySelectorAll("[data-testid=bed-board] tbody tr").Select(r => r.GetAttribute("data-testid")!));
        var grid = await nurse.GetPageAsync("/wards/W07?Show=free&handler=Grid");
        Assert.Equal(19, grid.QuerySelectorAll("tbody tr").Length);
        Assert.Null(grid.QuerySelector("header")); // the grid alone, for the live refresh
        await nurse.GetPageAsync("/wards/W99", HttpStatusCode.NotFound);
        Assert.Equal(3, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.RecordType == "BedBoard" && e.UserName == "nurse")));
    }

    [Fact]
    public async Task A_clerk_admits_from_the_board_and_a_refused_admission_shows_the_reason_by_the_field()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var man = await OutpatientAsync(app, Gender.Male);
        var team = await TeamAsync(app, Cardiology);
        var form = new Dictionary<string, string> { ["Patient"] = "", ["Bed"] = "A1", ["TeamId"] = $"{team}", ["AdmissionMethod"] = "21", ["AdmissionSource"] = "19" };

        var empty = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/wards/W07/admit?bed=A1", form));
        Assert.Equal(("Patient", "Enter the patient's hospital number or NHS number"), StaffBrowser.ErrorSummary(empty)[0]);

        form["Patient"] = man.Mrn.ToLowerInvariant();
        var occupied = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/wards/W07/admit?bed=A1", form));
        Assert.Equal("Bed", StaffBrowser.ErrorSummary(occupied).Single().Field);
        Assert.Contains("occupied", StaffBrowser.ErrorSummary(occupied).Single().Message, StringComparison.Ordinal);

        form["Bed"] = "D2"; // a female bay
        var femaleBay = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/wards/W07/admit?bed=D2", form));
        Assert.Contains("female bay", StaffBrowser.ErrorSummary(femaleBay).Single().Message, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Spells.CountAsync(s => s.PatientId == man.Id)));

        form["Bed"] = "A4";
        form["AtDay"] = "25";
        form["AtMonth"] = "11";
        form["AtYear"] = "2026";
        form["AtTime"] = "23:00"; // later today: the clock says 09:30
        var future = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/wards/W07/admit?bed=A4", form));
        Assert.Equal(("At", "The time cannot be in the future"), StaffBrowser.ErrorSummary(future).Single());
        Assert.Equal("23:00", future.QuerySelector("#AtTime")!.GetAttribute("value"));

        form["AtTime"] = "02:10"; // entered by the morning clerk
        var admitted = await clerk.PostFormAsync("/wards/W07/admit?bed=A4", form);
        Assert.Equal(HttpStatusCode.Redirect, admitted.StatusCode);
        Assert.Equal("/wards/W07", admitted.Headers.Location?.OriginalString);
        var board = await clerk.GetPageAsync("/wards/W07");
        Assert.Contains(man.FamilyName.ToUpperInvariant(), board.QuerySelector("[data-testid=bed-A4]")!.TextContent, StringComparison.Ordinal);
        var record = await clerk.GetPageAsync($"/patients/{man.Id}");
        Assert.Contains("in hospital now", record.QuerySelector("[data-testid=admissions]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 11, 25, 2, 10, 0), await app.WithDbAsync(db => db.Spells.Where(s => s.PatientId == man.Id).Select(s => s.AdmittedAt).SingleAsync()));

        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        await nurse.GetPageAsync("/wards/W07/admit", HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task From_a_patients_record_a_clerk_chooses_a_ward_and_gets_the_admission_form_filled_in_with_the_free_beds()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var man = await OutpatientAsync(app, Gender.Male);

        var record = await clerk.GetPageAsync($"/patients/{man.Id}");
        var admitLink = record.QuerySelectorAll("a").Single(a => a.TextContent == "Admit to a ward").GetAttribute("href")!;
        Assert.DoesNotContain(man.Mrn, admitLink, StringComparison.Ordinal); // no patient identifiers in URLs (H-007)
        var wards = await clerk.GetPageAsync(admitLink);
        var admitHere = wards.QuerySelectorAll("a").Where(a => a.TextContent.StartsWith("Admit here", StringComparison.Ordinal)).Select(a => a.GetAttribute("href")!).ToList();
        Assert.Contains($"/wards/W07/admit?patientId={man.Id}", admitHere);

        var form = await clerk.GetPageAsync($"/wards/W07/admit?patientId={man.Id}");
        Assert.Equal(man.Mrn, form.QuerySelector("#Patient")!.GetAttribute("value"));
        var beds = form.QuerySelectorAll("#Bed option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("A3", beds);
        Assert.DoesNotContain("A1", beds); // occupied
        Assert.Equal("", beds[0]); // no bed yet

        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        Assert.DoesNotContain((await nurse.GetPageAsync("/wards")).QuerySelectorAll("a"), a => a.TextContent.StartsWith("Admit here", StringComparison.Ordinal));
        var inHospital = await app.WithDbAsync(db => db.Patients.Where(p => p.FamilyName == "Patel").Select(p => p.Id).FirstAsync());
        Assert.DoesNotContain((await clerk.GetPageAsync($"/patients/{inHospital}")).QuerySelectorAll("a"), a => a.TextContent == "Admit to a ward");
    }

    [Fact]
    public async Task A_clerk_transfers_changes_consultant_discharges_and_undoes_from_the_admission_page()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var woman = await OutpatientAsync(app, Gender.Female);
        var teams = await app.WithDbAsync(db => db.ClinicalTeams.ToDictionaryAsync(t => t.Name, t => t.Id));
        await clerk.PostFormAsync("/wards/W07/admit", new() { ["Patient"] = woman.Mrn, ["Bed"] = "B3", ["TeamId"] = $"{teams["Cardiology - Dr Bennett"]}", ["AdmissionMethod"] = "21", ["AdmissionSource"] = "19" });
        var spellId = await app.WithDbAsync(db => db.Spells.Where(s => s.PatientId == woman.Id).Select(s => s.Id).SingleAsync());
        var move = $"/inpatients/spells/{spellId}/move";

        var maleBay = await StaffBrowser.ParseAsync(await clerk.PostFormAsync(move, new() { ["WardCode"] = "W12", ["BedLabel"] = "A3" }, "Transfer"));
        Assert.Equal("BedLabel", StaffBrowser.ErrorSummary(maleBay).Single().Field);
        Assert.Equal(HttpStatusCode.Redirect, (await clerk.PostFormAsync(move, new() { ["WardCode"] = "W12", ["BedLabel"] = "B4" }, "Transfer")).StatusCode);
        Assert.Equal((BedStatus.Cleaning, BedStatus.Occupied), (await BedAsync(app, "W07", "B3"), await BedAsync(app, "W12", "B4")));
        Assert.Equal(HttpStatusCode.Redirect, (await clerk.PostFormAsync(move, new() { ["TeamId"] = $"{teams["Geriatric Medicine - Dr Holloway"]}" }, "Consultant")).StatusCode);
        var noMethod = await StaffBrowser.ParseAsync(await clerk.PostFormAsync(move, new() { ["DischargeMethod"] = "", ["DischargeDestination"] = "19" }, "Discharge"));
        Assert.Equal("DischargeMethod", StaffBrowser.ErrorSummary(noMethod)[0].Field);
        var notADate = await StaffBrowser.ParseAsync(await clerk.PostFormAsync(move, new() { ["ExpectedDischargeDay"] = "31", ["ExpectedDischargeMonth"] = "2", ["ExpectedDischargeYear"] = "2026" }, "ExpectedDischarge"));
        Assert.Equal("ExpectedDischarge", StaffBrowser.ErrorSummary(notADate).Single().Field);
        Assert.Equal(HttpStatusCode.Redirect, (await clerk.PostFormAsync(move, new() { ["ExpectedDischargeDay"] = "1", ["ExpectedDischargeMonth"] = "12", ["ExpectedDischargeYear"] = "2026" }, "ExpectedDischarge")).StatusCode);
        Assert.Equal("1", (await clerk.GetPageAsync(move)).QuerySelector("#ExpectedDischarge")!.GetAttribute("value"));
        var beforeAdmission = await StaffBrowser.ParseAsync(await clerk.PostFormAsync(move, new()
            { ["DischargeMethod"] = "1", ["DischargeDestination"] = "19", ["DischargeAtDay"] = "24", ["DischargeAtMonth"] = "11", ["DischargeAtYear"] = "2026", ["DischargeAtTime"] = "10:00" }, "Discharge"));
        Assert.Equal("DischargeAt", StaffBrowser.ErrorSummary(beforeAdmission).Single().Field);
        Assert.Equal(HttpStatusCode.Redirect, (await clerk.PostFormAsync(move, new() { ["DischargeMethod"] = "1", ["DischargeDestination"] = "19" }, "Discharge")).StatusCode);

        var spell = await clerk.GetPageAsync($"/inpatients/spells/{spellId}");
        Assert.Contains("discharged", spell.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, spell.QuerySelectorAll("[data-testid=ward-stays] tbody tr").Length);
        Assert.Equal(2, spell.QuerySelectorAll("[data-testid=episodes] tbody tr").Length);

        Assert.Equal(HttpStatusCode.Redirect, (await clerk.PostFormAsync(move, new() { ["Reason"] = "Discharged the wrong patient" }, "Undo")).StatusCode);
        Assert.Equal(BedStatus.Occupied, await BedAsync(app, "W12", "B4"));
        Assert.Contains("admitted", (await clerk.GetPageAsync($"/inpatients/spells/{spellId}")).QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nurse_marks_a_bed_clean_from_the_board_and_an_administrator_adds_a_bay_on_the_layout_page()
    {
        await using var app = LanternApp.Sqlite();
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        var board = await nurse.GetPageAsync("/wards/W07");
        var close = board.QuerySelector("[data-testid=bed-A5] form")!;
        Assert.Equal("/wards/W07/beds/A5/status", close.GetAttribute("action"));
        var token = close.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var closed = await nurse.PostAsync("/wards/W07/beds/A5/status", new() { ["Status"] = "closed" }, token);
        Assert.Equal("/wards/W07", closed.Headers.Location?.OriginalString);
        Assert.Equal(BedStatus.Closed, await BedAsync(app, "W07", "A5"));
        var refused = await StaffBrowser.ParseAsync(await nurse.PostFormAsync("/wards/W07/beds/A1/status", new() { ["Status"] = "closed" }));
        Assert.Contains("has a patient in it", StaffBrowser.ErrorSummary(refused).Single().Message, StringComparison.Ordinal);

        using var admin = await StaffBrowser.SignedInAsync(app, "admin");
        var directory = await admin.GetPageAsync("/trust/wards/W07");
        Assert.NotNull(directory.QuerySelector("a[href='/wards/W07/layout']"));
        var duplicate = await StaffBrowser.ParseAsync(await admin.PostFormAsync("/wards/W07/layout", new() { ["BayName"] = "A", ["BaySex"] = "Male", ["BayBeds"] = "2" }, "AddBay"));
        Assert.Equal(("BayName", "Ward 7 (Cardiology) already has a bay A"), StaffBrowser.ErrorSummary(duplicate).Single());
        var added = await admin.PostFormAsync("/wards/W07/layout", new() { ["BayName"] = "E", ["BaySex"] = "Female", ["BayBeds"] = "2" }, "AddBay");
        Assert.Equal("/wards/W07/layout", added.Headers.Location?.OriginalString);
        var layout = await admin.GetPageAsync("/wards/W07/layout");
        Assert.Contains("Bay E added", layout.QuerySelector("[data-testid=confirmation]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(layout.QuerySelector("[data-testid=layout-bed-E2]"));
        Assert.DoesNotContain("SMITH", layout.Body!.TextContent, StringComparison.Ordinal);
        var redesignate = await StaffBrowser.ParseAsync(await admin.PostFormAsync("/wards/W07/layout", new() { ["Bay"] = "A", ["Sex"] = "Female" }, "Designate"));
        Assert.Equal("Sex-A", StaffBrowser.ErrorSummary(redesignate).Single().Field);
        await nurse.GetPageAsync("/wards/W07/layout", HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_clerk_records_an_expected_patient_the_board_lists_them_and_they_are_admitted_from_the_list_or_cancelled()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        var (woman, man) = (await OutpatientAsync(app, Gender.Female), await OutpatientAsync(app, Gender.Male));
        var team = await TeamAsync(app, Cardiology);
        var form = new Dictionary<string, string> { ["Patient"] = woman.Mrn, ["AdmissionMethod"] = "22", ["TeamId"] = "", ["Reason"] = "Chest pain, GP referral" };

        // The expected time is required, and checked as the ward reads it (UK time).
        var noTime = await StaffBrowser.ParseAsync(await clerk.PostFormAsync("/wards/W07/expect", form));
        Assert.Equal(("ExpectedAt", "Enter the date and time the patient is expected"), StaffBrowser.ErrorSummary(noTime).Single());
        (form["ExpectedAtDay"], form["ExpectedAtMonth"], form["ExpectedAtYear"], form["ExpectedAtTime"]) = ("25", "11", "2026", "14:00");
        Assert.Equal(HttpStatusCode.Redirect, (await clerk.PostFormAsync("/wards/W07/expect", form)).StatusCode);
        (form["Patient"], form["ExpectedAtTime"], form["TeamId"], form["Reason"]) = (man.Mrn, "16:30", $"{team}", "");
        Assert.Equal(HttpStatusCode.Redirect, (await clerk.PostFormAsync("/wards/W07/expect", form)).StatusCode);

        var board = await clerk.GetPageAsync("/wards/W07");
        var rows = board.QuerySelectorAll("[data-testid=expected-admissions] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("25-Nov-2026 14:00", rows[0], StringComparison.Ordinal);
        Assert.Contains(woman.FamilyName.ToUpperInvariant(), rows[0], StringComparison.Ordinal);
        Assert.Contains("Chest pain, GP referral", rows[0], StringComparison.Ordinal);
        Assert.Contains(Cardiology, rows[1], StringComparison.Ordinal);
        var ids = await app.WithDbAsync(db => db.ExpectedAdmissions.Where(e => e.Ward!.Code == "W07").OrderBy(e => e.ExpectedAt).Select(e => e.Id).ToListAsync());

        // Admitted from the list: the form comes filled in with what was planned, and the admission fulfils it.
        var admitForm = await clerk.GetPageAsync($"/wards/W07/admit?expected={ids[1]}");
        Assert.Equal(man.Mrn, admitForm.QuerySelector("#Patient")!.GetAttribute("value"));
        Assert.Equal($"{team}", admitForm.QuerySelector("#TeamId option[selected]")!.GetAttribute("value"));
        Assert.NotNull(admitForm.QuerySelector("[data-testid=admitting-expected]"));
        var admitted = await clerk.PostFormAsync($"/wards/W07/admit?expected={ids[1]}", new()
        {
            ["Expected"] = $"{ids[1]}", ["Patient"] = man.Mrn, ["Bed"] = "A4", ["TeamId"] = $"{team}", ["AdmissionMethod"] = "22", ["AdmissionSource"] = "19",
        });
        Assert.Equal(HttpStatusCode.Redirect, admitted.StatusCode);

        // Cancelled from the list, with a reason (required).
        var cancelPage = await clerk.GetPageAsync($"/inpatients/expected-admissions/{ids[0]}/cancel");
        Assert.Contains(woman.FamilyName.ToUpperInvariant(), cancelPage.Body!.TextContent, StringComparison.Ordinal);
        var noReason = await StaffBrowser.ParseAsync(await clerk.PostFormAsync($"/inpatients/expected-admissions/{ids[0]}/cancel", new() { ["Reason"] = "" }));
        Assert.Equal(("Reason", "Give the reason for cancelling"), StaffBrowser.ErrorSummary(noReason).Single());
        Assert.Equal(HttpStatusCode.Redirect, (await clerk.PostFormAsync($"/inpatients/expected-admissions/{ids[0]}/cancel", new() { ["Reason"] = "Went to another hospital" })).StatusCode);

        var after = await clerk.GetPageAsync("/wards/W07");
        Assert.NotNull(after.QuerySelector("[data-testid=expected-none]"));
        Assert.Contains(man.FamilyName.ToUpperInvariant(), after.QuerySelector("[data-testid=bed-A4]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal([ExpectedAdmissionStatus.Cancelled, ExpectedAdmissionStatus.Admitted],
            await app.WithDbAsync(db => db.ExpectedAdmissions.Where(e => e.Ward!.Code == "W07").OrderBy(e => e.ExpectedAt).Select(e => e.Status).ToListAsync()));

        // A nurse sees who is coming but has no way to record or cancel.
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        Assert.Null((await nurse.GetPageAsync("/wards/W07")).QuerySelector("a[href='/wards/W07/expect']"));
        await nurse.GetPageAsync("/wards/W07/expect", HttpStatusCode.Redirect);
    }
}
