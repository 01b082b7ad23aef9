using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lantern.Server.Audit;
using Lantern.Server.Inpatients;
using Lantern.Server.Inpatients.Expected;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Interop.Hl7v2;
using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Server.Interop.Hl7v2.Outbound;
using Lantern.Hl7v2.Mllp;
using Lantern.Server.Interop.Hl7v2.Mllp;
using Lantern.Server.Patients.Merging;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Tests.Interop.Hl7v2;

/// <summary>ADT over a real MLLP connection into a running Lantern: stored before the ACK, applied once, refusals kept.</summary>
public abstract class Hl7InboxContract(StorageProvider provider)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Hl7v2:Listener:Port"] = "-1",
        ["Hl7v2:AllowedSenders:0"] = "PAS",
    };

    /// <summary>A PAS message for the test patient Ada Lovelace (MRN PAS123, NHS number 943 476 5919).</summary>
    private static string Adt(string trigger, string control, string pv1 = "", string evn = "20261125080000", string extra = "") =>
        $"MSH|^~\\&|PAS|RZZ|LANTERN|RZZ|20261125080000||ADT^{trigger}^ADT_{trigger}|{control}|P|2.4\r" +
        $"EVN|{trigger}|20261125080000|||||{evn}\r" +
        "PID|1||PAS123^^^RZZ^MR~9434765919^^^NHS^NH||LOVELACE^ADA^AUGUSTA^^MRS||19501210|F|||12 Marsh Lane^^Leeds^^LS6 2AB||0113 496 0000|||||||||A\r" +
        (pv1.Length > 0 ? pv1 + "\r" : "") + extra;

    /// <summary>Each of <paramref name="connections"/> connections sends its <paramref name="each"/> messages (connection, index) at once; every answer's MSA-1 and ERR-8.</summary>
    private static async Task<List<(int Index, string Code, string? Error)>> SendAtOnceAsync(LanternApp app, int connections, int each, Func<int, int, string> message)
    {
        _ = app.Server;
        var endpoint = await app.Services.GetRequiredService<MllpListener>().Bound;
        var answers = new System.Collections.Concurrent.ConcurrentBag<(int Index, string Code, string? Error)>();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            await using var client = await MllpClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port);
            for (var i = 0; i < each; i++)
            {
                var ack = await SendAsync(client, message(c, i));
                answers.Add((i, ack.Segment("MSA")!.Value(1), ack.Segment("ERR")?.Value(8)));
            }
        }));
        return [.. answers];
    }

    private static async Task<(MllpClient Client, LanternApp App)> StartAsync(LanternApp app)
    {
        _ = app.Server; // starts the host, and with it the listener
        var endpoint = await app.Services.GetRequiredService<MllpListener>().Bound;
        return (await MllpClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port), app);
    }

    /// <summary>A PV1 segment with the given fields set (numbered as HL7 numbers them).</summary>
    private static string Pv1(params (int Field, string Value)[] fields)
    {
        var segment = new Hl7Segment("PV1", Er7Delimiters.Standard);
        foreach (var (field, value) in fields)
        {
            segment.SetRaw(field, value);
        }
        return segment.ToEr7();
    }

    /// <summary>Asserts an AA, showing the ERR text when it is not one.</summary>
    private static void Accepted(Hl7Message ack) =>
        Assert.True(ack.Segment("MSA")!.Value(1) == "AA", $"{ack.Segment("MSA")!.Value(1)}: {ack.Segment("ERR")?.Value(8)}");

    private static async Task<Hl7Message> SendAsync(MllpClient client, string message) =>
        Er7Parser.Parse(await client.SendAsync(message, TimeSpan.FromSeconds(30)));

    [Fact]
    public async Task A_registration_is_stored_applied_once_and_audited_as_the_interface()
    {
        await using var app = LanternApp.On(provider, Settings);
        var (client, _) = await StartAsync(app);
        await using var _client = client;

        var ack = await SendAsync(client, Adt("A28", "M1"));
        Assert.Equal("AA", ack.Segment("MSA")!.Value(1));
        Assert.Equal("M1", ack.Segment("MSA")!.Value(2));
        Assert.Equal(("ACK", "A28"), ack.Type);
        Assert.Equal("PAS", ack.Header.Value(5));

        // Sent again (the PAS never saw the ACK): acknowledged again, not applied again.
        Accepted(await SendAsync(client, Adt("A28", "M1")));

        var (patients, stored, audited) = await app.WithDbAsync(async db => (
            await db.Patients.Where(p => p.Mrn == "PAS123").ToListAsync(),
            await db.InboundMessages.SingleAsync(),
            await db.AuditEntries.Where(a => a.UserName == "hl7:PAS").Select(a => a.RecordType + " " + a.Action).ToListAsync()));
        var ada = Assert.Single(patients);
        Assert.Equal(("LOVELACE", "ADA", "AUGUSTA", "9434765919"), (ada.FamilyName, ada.GivenName, ada.OtherGivenNames, ada.NhsNumber));
        Assert.Equal(new DateOnly(1950, 12, 10), ada.BirthDate);
        Assert.Equal(("LS6 2AB", "Leeds", "A"), (ada.Postcode, ada.Town, ada.EthnicCategory));
        Assert.Equal((InboundStatus.Applied, 1, ada.Id), (stored.Status, stored.Resends, stored.PatientId));
        Assert.StartsWith("MSH|^~\\&|PAS|RZZ", stored.Raw, StringComparison.Ordinal);
        Assert.Contains("Patient Create", audited);
        Assert.Contains($"{Hl7Inbox.RecordType} Create", audited);

        // An update that changes nothing (a PAS sends the patient with every event) is applied, and not saved again:
        // the same version, no new FHIR version, no patient audit entry of its own (the message's entry has it).
        Accepted(await SendAsync(client, Adt("A31", "M2")));
        Assert.Equal((0, 1, 0), await app.WithDbAsync(async db => (
            await db.Patients.Where(p => p.Id == ada.Id).Select(p => p.Version).SingleAsync(),
            await db.FhirResourceHistory.CountAsync(v => v.ResourceType == "Patient" && v.LogicalId == ada.Id.ToString()),
            await db.AuditEntries.CountAsync(a => a.PatientId == ada.Id && a.RecordType == "Patient" && a.Action == Lantern.Server.Audit.AuditAction.Update))));
        Assert.Equal(InboundStatus.Applied, (await app.WithDbAsync(db => db.InboundMessages.SingleAsync(m => m.ControlId == "M2"))).Status);
        // One that changes the address is saved as a new version, audited with what changed.
        Accepted(await SendAsync(client, Adt("A31", "M3").Replace("12 Marsh Lane", "3 Otley Road", StringComparison.Ordinal)));
        var (moved, versions, update) = await app.WithDbAsync(async db => (
            await db.Patients.SingleAsync(p => p.Id == ada.Id),
            await db.FhirResourceHistory.CountAsync(v => v.ResourceType == "Patient" && v.LogicalId == ada.Id.ToString()),
            await db.AuditEntries.SingleAsync(a => a.PatientId == ada.Id && a.RecordType == "Patient" && a.Action == Lantern.Server.Audit.AuditAction.Update)));
        Assert.Equal(("3 Otley Road", 1, 2), (moved.AddressLine1, moved.Version, versions));
        Assert.Equal("Changed AddressLine1", update.Reason);

        // Someone sent with an NHS number and no hospital number is given one of Lantern's.
        Accepted(await SendAsync(client, Adt("A28", "M4").Replace("PAS123^^^RZZ^MR~9434765919^^^NHS^NH", "9434765870^^^NHS^NH", StringComparison.Ordinal)
            .Replace("LOVELACE^ADA^AUGUSTA^^MRS||19501210", "BABBAGE^CHARLES^^^MR||19611226", StringComparison.Ordinal).Replace("|F|", "|M|", StringComparison.Ordinal)));
        var charles = await app.WithDbAsync(db => db.Patients.SingleAsync(p => p.NhsNumber == "9434765870"));
        Assert.Equal("BABBAGE", charles.FamilyName);
        Assert.False(string.IsNullOrEmpty(charles.Mrn));
        Assert.NotEqual("PAS123", charles.Mrn);
    }

    [Fact]
    public async Task Messages_from_many_connections_at_once_are_each_applied_or_refused_on_their_own()
    {
        await using var app = LanternApp.On(provider, Settings);
        const int connections = 8, each = 30;
        // Every third message registers a new person, the next has an impossible birth date (AE), the next is an event
        // Lantern does not take (AR): sent at once on eight connections, they share commits, and each refusal must take
        // back only itself.
        Task<List<(int Index, string Code, string? Error)>> SendAllAsync(Func<int, int, string> control, Func<int, int, string> mrn) =>
            SendAtOnceAsync(app, connections, each, (c, i) =>
            {
                var message = Adt(i % 3 == 2 ? "A17" : "A28", control(c, i))
                    .Replace("PAS123^^^RZZ^MR~9434765919^^^NHS^NH", $"{mrn(c, i)}^^^RZZ^MR", StringComparison.Ordinal);
                return i % 3 == 1 ? message.Replace("|19501210|", "|19501310|", StringComparison.Ordinal) : message;
            });
        Task<(int Patients, int Applied, Dictionary<InboundStatus, int> Kept, int Resends)> CountAsync() => app.WithDbAsync(async db => (
            await db.Patients.CountAsync(p => EF.Functions.Like(p.Mrn, "PB%")),
            await db.AuditEntries.CountAsync(a => a.RecordType == Hl7Inbox.RecordType && EF.Functions.Like(a.Reason!, "Applied HL7%")),
            await db.InboundMessages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count),
            await db.InboundMessages.SumAsync(m => m.Resends)));
        string Expected(int index) => (index % 3) switch { 0 => "AA", 1 => "AE", _ => "AR" };

        var answers = await SendAllAsync((c, i) => $"C{c}-{i}", (c, i) => $"PB{c:00}{i:000}");
        Assert.Equal(connections * each, answers.Count);
        Assert.All(answers, a => Assert.Equal(Expected(a.Index), a.Code));
        var (patients, applied, kept, resends) = await CountAsync();
        Assert.Equal((connections * each / 3, connections * each / 3, 0), (patients, applied, resends));
        Assert.Equal(connections * each / 3, kept[InboundStatus.Applied]);
        Assert.Equal(connections * each / 3, kept[InboundStatus.Failed]);
        Assert.Equal(connections * each / 3, kept[InboundStatus.Rejected]);

        // Every message again at once (the senders lost their ACKs): found as resends in the shared batches, each
        // answered as the first time, and nothing applied twice.
        answers = await SendAllAsync((c, i) => $"C{c}-{i}", (c, i) => $"PB{c:00}{i:000}");
        Assert.All(answers, a => Assert.Equal(Expected(a.Index), a.Code));
        Assert.Equal((connections * each / 3, connections * each / 3, connections * each), ((await CountAsync()).Patients, (await CountAsync()).Applied, (await CountAsync()).Resends));

        // Pairs of connections sending the same new messages at the same moment (a twin may share a batch with its
        // copy, which it cannot have found stored beforehand): each pair's message applied once, both answered alike.
        answers = await SendAllAsync((c, i) => $"T{c % 4}-{i}", (c, i) => $"PB9{c % 4}{i:000}");
        Assert.All(answers, a => Assert.Equal(Expected(a.Index), a.Code));
        (patients, applied, kept, resends) = await CountAsync();
        Assert.Equal((connections * each / 3 + 4 * each / 3, connections * each / 3 + 4 * each / 3, connections * each + 4 * each), (patients, applied, resends));
        // The audit chain is whole: no entry of a rolled-back message left in it, none missing.
        using var auditor = await StaffBrowser.SignedInAsync(app, "igauditor");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await auditor.Http.GetAsync("/api/audit/verify")).StatusCode);
    }

    [Fact]
    public async Task Copies_sent_at_the_same_moment_in_batches_that_go_through_whole_are_each_applied_once()
    {
        await using var app = LanternApp.On(provider, Settings);
        const int connections = 8, each = 30;
        // Every message applicable, so batches go through whole (no savepoints, their rows inserted at the end): a copy
        // taken in the same batch as its twin is not yet stored when it is checked, and must still not be applied twice.
        var answers = await SendAtOnceAsync(app, connections, each, (c, i) =>
            Adt("A28", $"D{c % 4}-{i}").Replace("PAS123^^^RZZ^MR~9434765919^^^NHS^NH", $"PD{c % 4}{i:000}^^^RZZ^MR", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Repeat("AA", connections * each), answers.Select(a => a.Code));
        var (patients, applied, stored, resends) = await app.WithDbAsync(async db => (
            await db.Patients.CountAsync(p => EF.Functions.Like(p.Mrn, "PD%")),
            await db.AuditEntries.CountAsync(a => a.RecordType == Hl7Inbox.RecordType && EF.Functions.Like(a.Reason!, "Applied HL7%")),
            await db.InboundMessages.CountAsync(m => EF.Functions.Like(m.ControlId!, "D%")),
            await db.InboundMessages.SumAsync(m => m.Resends)));
        Assert.Equal((4 * each, 4 * each, 4 * each, 4 * each), (patients, applied, stored, resends));
        // Each registration's first FHIR version is kept with it (in such a batch its JSON is made on another thread).
        var (registered, kept) = await app.WithDbAsync(async db => (
            await db.Patients.Where(p => EF.Functions.Like(p.Mrn, "PD%")).Select(p => new { p.Id, p.Mrn, p.Version }).ToListAsync(),
            await db.FhirResourceHistory.Where(v => v.ResourceType == "Patient").Select(v => new { v.LogicalId, v.VersionId, v.Method, v.Json }).ToListAsync()));
        Assert.All(registered, p =>
        {
            var version = Assert.Single(kept, v => v.LogicalId == p.Id.ToString());
            Assert.Equal((p.Version, "POST"), (version.VersionId, version.Method));
            Assert.Contains($"\"value\":\"{p.Mrn}\"", version.Json, StringComparison.Ordinal);
        });
        using var auditor = await StaffBrowser.SignedInAsync(app, "igauditor");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await auditor.Http.GetAsync("/api/audit/verify")).StatusCode);
    }

    [Fact]
    public async Task An_XML_encoded_registration_is_applied_like_ER7_and_kept_as_sent()
    {
        await using var app = LanternApp.On(provider, Settings);
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        const string Xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ADT_A05 xmlns="urn:hl7-org:v2xml">
              <MSH><MSH.1>|</MSH.1><MSH.2>^~\&amp;</MSH.2><MSH.3><HD.1>PAS</HD.1></MSH.3><MSH.4><HD.1>RZZ</HD.1></MSH.4>
                <MSH.9><MSG.1>ADT</MSG.1><MSG.2>A28</MSG.2></MSH.9><MSH.10>X1</MSH.10><MSH.11><PT.1>P</PT.1></MSH.11><MSH.12><VID.1>2.5</VID.1></MSH.12></MSH>
              <PID><PID.3><CX.1>XML77</CX.1><CX.5>MR</CX.5></PID.3><PID.5><XPN.1><FN.1>O'HARA &amp; SONS</FN.1></XPN.1><XPN.2>Kate</XPN.2></PID.5>
                <PID.7><TS.1>19800101</TS.1></PID.7><PID.8>F</PID.8></PID>
            </ADT_A05>
            """;
        Accepted(await SendAsync(client, Xml));
        var (family, raw) = await app.WithDbAsync(async db => (
            await db.Patients.Where(p => p.Mrn == "XML77").Select(p => p.FamilyName).SingleAsync(),
            await db.InboundMessages.Where(m => m.ControlId == "X1").Select(m => m.Raw).SingleAsync()));
        Assert.Equal("O'HARA & SONS", family);
        Assert.Equal(Xml, raw);
    }

    [Fact]
    public async Task A_patient_is_found_by_hospital_number_then_NHS_number_and_after_an_A40_merge_by_either_record_s_number()
    {
        await using var app = LanternApp.On(provider, Settings);
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        // PID-3 as given, and an address line that shows which record each update reached.
        static string Person(string trigger, string control, string identifiers, string street, string extra = "") =>
            $"MSH|^~\\&|PAS|RZZ|LANTERN|RZZ|20261125080000||ADT^{trigger}^ADT_{trigger}|{control}|P|2.4\r" +
            $"EVN|{trigger}|20261125080000\r" +
            $"PID|1||{identifiers}||LOVELACE^ADA||19501210|F|||{street}^^Leeds^^LS6 2AB\r" + extra;
        async Task<(string? Ada, string? Other, int Patients)> StreetsAsync() => await app.WithDbAsync(async db => (
            await db.Patients.Where(p => p.Mrn == "PAS123").Select(p => p.AddressLine1).SingleAsync(),
            await db.Patients.Where(p => p.Mrn == "PAS999").Select(p => p.AddressLine1).SingleAsync(),
            await db.Patients.CountAsync()));
        Accepted(await SendAsync(client, Person("A28", "P1", "PAS123^^^RZZ^MR~9434765919^^^NHS^NH", "1 Marsh Lane")));
        Accepted(await SendAsync(client, Person("A28", "P2", "PAS999^^^RZZ^MR~9434765870^^^NHS^NH", "9 Other Road")));
        var registered = (await StreetsAsync()).Patients;

        // By NHS number when the hospital number is unknown to Lantern, or not sent: the same person, not a new one.
        Accepted(await SendAsync(client, Person("A31", "P3", "NEW1^^^RZZ^MR~9434765919^^^NHS^NH", "2 Marsh Lane")));
        Assert.Equal(("2 Marsh Lane", "9 Other Road", registered), await StreetsAsync());
        Accepted(await SendAsync(client, Person("A31", "P4", "9434765919^^^NHS^NH", "3 Marsh Lane")));
        Assert.Equal(("3 Marsh Lane", "9 Other Road", registered), await StreetsAsync());

        // Both sent, naming different records: the hospital number (the sender's own key) decides, so this is an
        // update of PAS999 to Ada's NHS number, which is refused, and neither record changes.
        var clash = await SendAsync(client, Person("A31", "P5", "PAS999^^^RZZ^MR~9434765919^^^NHS^NH", "4 Marsh Lane"));
        Assert.Equal("AE", clash.Segment("MSA")!.Value(1));
        Assert.Contains("PAS123", clash.Segment("ERR")!.Value(8), StringComparison.Ordinal);
        Assert.Equal(("3 Marsh Lane", "9 Other Road", registered), await StreetsAsync());

        // A40: PAS999 merged into PAS123 (MRG-1). A message naming the retired number now reaches the survivor.
        Accepted(await SendAsync(client, Person("A40", "P6", "PAS123^^^RZZ^MR~9434765919^^^NHS^NH", "3 Marsh Lane", "MRG|PAS999^^^RZZ^MR\r")));
        var (retired, survivor) = await app.WithDbAsync(async db => (
            await db.Patients.SingleAsync(p => p.Mrn == "PAS999"), await db.Patients.SingleAsync(p => p.Mrn == "PAS123")));
        Assert.Equal(survivor.Id, retired.MergedIntoId);
        Accepted(await SendAsync(client, Person("A31", "P7", "PAS999^^^RZZ^MR", "5 Marsh Lane")));
        Assert.Equal(("5 Marsh Lane", "9 Other Road", registered), await StreetsAsync());
    }

    [Fact]
    public async Task A_message_applied_in_a_batch_before_a_merge_in_the_same_batch_moves_with_the_merged_record()
    {
        await using var app = LanternApp.On(provider, Settings);
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        Accepted(await SendAsync(client, Adt("A28", "M1")));
        Accepted(await SendAsync(client, Adt("A28", "M2").Replace("PAS123^^^RZZ^MR~9434765919", "PAS999^^^RZZ^MR~9434765870", StringComparison.Ordinal)));
        var (survivor, retired) = await app.WithDbAsync(async db => (
            await db.Patients.Where(p => p.Mrn == "PAS123").Select(p => p.Id).SingleAsync(), await db.Patients.Where(p => p.Mrn == "PAS999").Select(p => p.Id).SingleAsync()));

        // As the inbox applies a batch with no savepoints: an update's inbox row is held back for one insert before the
        // commit, and an A40 later in the same batch merges that patient away.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            Hl7Principal.Use(services, "hl7:PAS", "127.0.0.1:2575");
            var db = services.GetRequiredService<LanternDb>();
            await services.GetRequiredService<AuditTrail>().SaveInTransactionAsync<bool>(async cancel =>
            {
                using var collecting = db.CollectAppends();
                var update = new InboundMessage("PAS", "RZZ", "M3", "ADT^A31", Adt("A31", "M3"), "127.0.0.1:2575", DateTime.UtcNow);
                update.Applied(retired);
                db.Append(update);
                Assert.Null((await services.GetRequiredService<PatientMerger>().MergeAsync(survivor, retired, "HL7 A40", cancel)).Problem);
                await db.InsertCollectedAsync(cancel);
                return (true, []);
            });
        }
        Assert.Equal(survivor, await app.WithDbAsync(db => db.InboundMessages.Where(m => m.ControlId == "M3").Select(m => m.PatientId).SingleAsync()));
    }

    [Fact]
    public async Task Admit_transfer_discharge_and_cancel_discharge_move_the_patient_as_the_ward_pages_would()
    {
        await using var app = LanternApp.On(provider, Settings);
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        const string Bennett = "7100010"; // cardiology consultant in the demo trust
        // Two free beds in W07's female bays (A and C are male bays).
        var free = await app.WithDbAsync(db => db.Beds.Where(b => db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")
                && b.Status == Lantern.Server.Organisation.BedStatus.Available && (EF.Functions.Like(b.Label, "B%") || EF.Functions.Like(b.Label, "D%")))
            .OrderBy(b => b.Label).Select(b => b.Label).Take(2).ToListAsync());

        // Admitted 07:45 as an emergency via A&E (method 21) from home (source 19) under Dr Bennett (PV1-9, GMC number).
        Accepted(await SendAsync(client, Adt("A01", "A1",
            Pv1((2, "I"), (3, $"W07^^{free[0]}"), (4, "21"), (9, $"{Bennett}^BENNETT^RICHARD"), (14, "19"), (44, "20261125074500")), "20261125074500")));
        Accepted(await SendAsync(client, Adt("A02", "A2", Pv1((2, "I"), (3, $"W07^^{free[1]}")), "20261125081500")));
        // Discharged 09:00 on clinical advice (PV1-36 method 1) to usual residence (PV1-37 destination 19).
        Accepted(await SendAsync(client, Adt("A03", "A3", Pv1((2, "I"), (3, $"W07^^{free[1]}"), (36, "1"), (37, "19"), (45, "20261125090000")))));
        var discharged = await app.WithDbAsync(db => db.Spells.Include(s => s.Bed).SingleAsync(s => s.Patient!.Mrn == "PAS123"));
        Assert.Equal(new DateTime(2026, 11, 25, 7, 45, 0), discharged.AdmittedAt); // 07:45 GMT in November
        Assert.Equal(("1", "19"), (discharged.DischargeMethod, discharged.DischargeDestination));

        Accepted(await SendAsync(client, Adt("A13", "A4")));
        var current = await app.WithDbAsync(db => db.Spells.Include(s => s.Bed).Where(Spell.Current).SingleAsync(s => s.Patient!.Mrn == "PAS123"));
        Assert.Equal(free[1], current.Bed!.Label);
        // Every movement went out again as the inpatient module's own events (A01, A02, A03, A13).
        Assert.Equal(["A01", "A02", "A03", "A13"], await app.WithDbAsync(db => db.Outbox.OrderBy(o => o.Id).Select(o => o.EventType).ToListAsync()));
    }

    [Fact]
    public async Task A_pre_admission_expects_the_patient_on_the_ward_an_admission_for_that_visit_fulfils_it_and_A38_cancels_another()
    {
        await using var app = LanternApp.On(provider, Settings);
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        const string Bennett = "7100010";
        // A05: an elective (11) admission to W07 under Dr Bennett, visit V100, expected tomorrow 09:00 (PV2-8), for a cardioversion (PV2-3).
        const string Pv2 = "PV2|||^Elective cardioversion|||||20261126090000\r";
        Accepted(await SendAsync(client, Adt("A05", "P1", Pv1((2, "P"), (3, "W07"), (4, "11"), (9, $"{Bennett}^BENNETT^RICHARD"), (19, "V100")), extra: Pv2)));
        var expected = await app.WithDbAsync(db => db.ExpectedAdmissions.Include(e => e.Ward).SingleAsync(e => e.Patient!.Mrn == "PAS123"));
        Assert.Equal(("W07", new DateTime(2026, 11, 26, 9, 0, 0), "11", "V100", "Elective cardioversion", ExpectedAdmissionStatus.Expected),
            (expected.Ward!.Code, expected.ExpectedAt, expected.AdmissionMethod, expected.VisitNumber, expected.Reason, expected.Status));

        // The PAS moves the date (A05 again, same visit, with no PV2: the planned time EVN-3): the same expectation, re-planned.
        var moved = Adt("A05", "P2", Pv1((2, "P"), (3, "W07"), (4, "11"), (9, Bennett), (19, "V100"))).Replace("EVN|A05|20261125080000|", "EVN|A05|20261125080000|20261127100000", StringComparison.Ordinal);
        Accepted(await SendAsync(client, moved));
        var replanned = await app.WithDbAsync(db => db.ExpectedAdmissions.SingleAsync(e => e.Patient!.Mrn == "PAS123"));
        Assert.Equal((expected.Id, new DateTime(2026, 11, 27, 10, 0, 0)), (replanned.Id, replanned.ExpectedAt));

        // A second visit expected, then cancelled by A38 naming it; an A38 for a visit not expected is refused.
        Accepted(await SendAsync(client, Adt("A05", "P3", Pv1((2, "P"), (3, "W12"), (4, "11"), (19, "V200")), extra: Pv2)));
        Accepted(await SendAsync(client, Adt("A38", "P4", Pv1((2, "P"), (19, "V200")))));
        var unknownVisit = await SendAsync(client, Adt("A38", "P5", Pv1((2, "P"), (19, "V999"))));
        Assert.Equal(("AE", "204"), (unknownVisit.Segment("MSA")!.Value(1), unknownVisit.Segment("ERR")!.Value(3)));
        Assert.Contains("no expected admission to cancel for visit V999", unknownVisit.Segment("ERR")!.Value(8), StringComparison.Ordinal);
        var noTime = await SendAsync(client, Adt("A05", "P6", Pv1((2, "P"), (3, "W07"), (4, "11"), (19, "V300"))));
        Assert.Equal("AE", noTime.Segment("MSA")!.Value(1));
        Assert.Contains("PV2-8", noTime.Segment("ERR")!.Value(8), StringComparison.Ordinal);

        // The patient arrives early: the A01 for visit V100 fulfils that expectation.
        var bed = await app.WithDbAsync(db => db.Beds.Where(b => db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")
            && b.Status == Lantern.Server.Organisation.BedStatus.Available && EF.Functions.Like(b.Label, "D%")).OrderBy(b => b.Label).Select(b => b.Label).FirstAsync());
        Accepted(await SendAsync(client, Adt("A01", "P7", Pv1((2, "I"), (3, $"W07^^{bed}"), (4, "11"), (9, Bennett), (14, "19"), (19, "V100"), (44, "20261125090000")))));
        var all = await app.WithDbAsync(db => db.ExpectedAdmissions.Where(e => e.Patient!.Mrn == "PAS123").OrderBy(e => e.Id).Select(e => new { e.VisitNumber, e.Status, e.SpellId, e.CancellationReason }).ToListAsync());
        Assert.Equal([("V100", ExpectedAdmissionStatus.Admitted), ("V200", ExpectedAdmissionStatus.Cancelled)], all.Select(e => (e.VisitNumber, e.Status)));
        Assert.Equal(await app.WithDbAsync(db => db.Spells.Where(s => s.Patient!.Mrn == "PAS123").Select(s => (int?)s.Id).SingleAsync()), all[0].SpellId);
        Assert.Equal("Cancelled by HL7 ADT^A38 from PAS (P4)", all[1].CancellationReason);
        // Recorded as the interface did it: two expectations, one re-planned, one cancelled.
        Assert.Equal(4, await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.RecordType == ExpectedAdmissions.RecordType && e.UserName == "hl7:PAS")));
    }

    [Fact]
    public async Task What_cannot_be_applied_is_answered_AE_or_AR_with_the_reason_and_kept_for_review()
    {
        await using var app = LanternApp.On(provider, Settings);
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        await SendAsync(client, Adt("A28", "R0"));

        var notIn = await SendAsync(client, Adt("A02", "R1", Pv1((2, "I"), (3, "W07^^B5"))));
        Assert.Equal("AE", notIn.Segment("MSA")!.Value(1));
        Assert.Contains("not in hospital", notIn.Segment("ERR")!.Value(8), StringComparison.Ordinal);
        Assert.Equal("204", notIn.Segment("ERR")!.Value(3));

        var badDate = await SendAsync(client, Adt("A28", "R2").Replace("|19501210|", "|19501310|", StringComparison.Ordinal));
        Assert.Equal("AE", badDate.Segment("MSA")!.Value(1));
        Assert.Contains("PID-7", badDate.Segment("ERR")!.Value(8), StringComparison.Ordinal);

        var stranger = await SendAsync(client, Adt("A28", "R3").Replace("|PAS|RZZ|", "|OTHERPAS|RZZ|", StringComparison.Ordinal));
        Assert.Equal("AR", stranger.Segment("MSA")!.Value(1));

        var unsupported = await SendAsync(client, Adt("A17", "R4"));
        Assert.Equal(("AR", "201"), (unsupported.Segment("MSA")!.Value(1), unsupported.Segment("ERR")!.Value(3)));

        var garbage = await SendAsync(client, "this is not HL7");
        Assert.Equal("AR", garbage.Segment("MSA")!.Value(1));

        // The failed transfer sent again gets the same answer (ERR code included), and is still not applied; so does the unsupported event.
        var again = await SendAsync(client, Adt("A02", "R1", Pv1((2, "I"), (3, "W07^^B5"))));
        Assert.Equal(("AE", "204"), (again.Segment("MSA")!.Value(1), again.Segment("ERR")!.Value(3)));
        var unsupportedAgain = await SendAsync(client, Adt("A17", "R4"));
        Assert.Equal(("AR", "201"), (unsupportedAgain.Segment("MSA")!.Value(1), unsupportedAgain.Segment("ERR")!.Value(3)));

        var kept = await app.WithDbAsync(db => db.InboundMessages.OrderBy(m => m.Id).Select(m => new { m.ControlId, m.Status, m.Raw, m.Resends }).ToListAsync());
        Assert.Equal([InboundStatus.Applied, InboundStatus.Failed, InboundStatus.Failed, InboundStatus.Rejected, InboundStatus.Rejected, InboundStatus.Rejected],
            kept.Select(k => k.Status));
        Assert.Equal("this is not HL7", kept[^1].Raw);
        Assert.Equal(1, kept[1].Resends);
        Assert.Equal(0, await app.WithDbAsync(db => db.Spells.CountAsync(s => s.Patient!.Mrn == "PAS123")));

        // The interface monitor shows each with its reason; the system administrator opens the failed transfer (audited),
        // and once the patient has been admitted, replays it: now it applies.
        using var admin = await StaffBrowser.SignedInAsync(app, "admin");
        var monitor = await admin.GetPageAsync("/admin/interfaces?status=Failed");
        var rows = monitor.QuerySelectorAll("[data-testid=inbound-messages] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains("ADT^A02 R1", StringComparison.Ordinal) && r.Contains("not in hospital", StringComparison.Ordinal));
        var failedId = await app.WithDbAsync(db => db.InboundMessages.Where(m => m.ControlId == "R1").Select(m => m.Id).SingleAsync());
        var detail = await admin.GetPageAsync($"/admin/interfaces/{failedId}");
        Assert.Contains("PID|1||PAS123", detail.QuerySelector("[data-testid=message-raw]")!.TextContent, StringComparison.Ordinal);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.UserName == "admin" && a.RecordType == Hl7Inbox.RecordType && a.Action == Lantern.Server.Audit.AuditAction.Read)));

        var bed = await app.WithDbAsync(db => db.Beds.Where(b => db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")
            && b.Status == Lantern.Server.Organisation.BedStatus.Available && EF.Functions.Like(b.Label, "D%")).OrderBy(b => b.Label).Select(b => b.Label).FirstAsync());
        Accepted(await SendAsync(client, Adt("A01", "R5", Pv1((2, "I"), (3, $"W07^^{bed}"), (4, "21"), (9, "7100010"), (14, "19"), (44, "20261125070000")))));
        var replay = await admin.PostFormAsync($"/admin/interfaces/{failedId}", [], handler: "Replay");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, replay.StatusCode);
        var after = await admin.GetPageAsync($"/admin/interfaces/{failedId}");
        Assert.Equal("Applied", after.QuerySelector("[data-testid=message-status]")!.TextContent.Trim());
        Assert.Equal("B5", await app.WithDbAsync(db => db.Spells.Where(Spell.Current).Where(s => s.Patient!.Mrn == "PAS123").Select(s => s.Bed!.Label).SingleAsync()));

        // Staff without the interfaces activity are turned away.
        using var nurse = await StaffBrowser.SignedInAsync(app, "nurse");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await nurse.Http.GetAsync("/admin/interfaces")).StatusCode);

        // The totals: applied over the last day (R0, R5 and the replayed R1), failed (R2) and rejected (three) in all.
        static List<string> Totals(AngleSharp.Html.Dom.IHtmlDocument page) =>
            [.. page.QuerySelectorAll("[data-testid=interface-totals] dd").Select(d => d.TextContent.Trim())];
        Assert.Equal(["3", "1", "3"], Totals(await admin.GetPageAsync("/admin/interfaces")));
        app.Clock.Advance(TimeSpan.FromHours(25));
        using var nextDay = await StaffBrowser.SignedInAsync(app, "admin");
        Assert.Equal(["0", "1", "3"], Totals(await nextDay.GetPageAsync("/admin/interfaces")));
    }

    [Fact]
    public async Task Lab_results_are_stored_against_the_patient_and_a_correction_replaces_the_preliminary_value()
    {
        await using var app = LanternApp.On(provider, new Dictionary<string, string?>(Settings) { ["Hl7v2:AllowedSenders:1"] = "WINPATH" });
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        static string Oru(string control, string potassium, string status) =>
            $"MSH|^~\\&|WINPATH|RZZ|LANTERN|RZZ|20261125091000||ORU^R01|{control}|P|2.4\r" +
            "PID|1||PAS123^^^RZZ^MR\r" +
            "OBR|1|PLC1|LAB99|U\\T\\E^Urea and electrolytes|||20261125083000\r" + // "U&E", its & escaped as \T\
            $"OBX|1|NM|K^Potassium^WINPATH||{potassium}|mmol/L|3.5-5.3|H|||{status}|||20261125083000\r" +
            "OBX|2|NM|NA^Sodium^WINPATH||139|mmol/L|133-146|N|||F|||20261125083000\r";

        // Results for a patient Lantern does not know: AE, kept; registered, then replayed, they file.
        var unknown = await SendAsync(client, Oru("L1", "5.9", "P"));
        Assert.Equal("AE", unknown.Segment("MSA")!.Value(1));
        Accepted(await SendAsync(client, Adt("A28", "L0")));
        Assert.True(await app.Services.GetRequiredService<Hl7Inbox>().ReplayAsync(app.Services.CreateScope().ServiceProvider,
            await app.WithDbAsync(db => db.InboundMessages.Where(m => m.ControlId == "L1").Select(m => m.Id).SingleAsync())));

        Accepted(await SendAsync(client, Oru("L2", "6.1", "C")));
        var results = await app.WithDbAsync(db => db.Results.Where(r => r.Patient!.Mrn == "PAS123").OrderBy(r => r.ObservationCode).ToListAsync());
        Assert.Equal(2, results.Count);
        var potassium = results.Single(r => r.ObservationCode == "K");
        Assert.Equal(("Potassium", "6.1", "mmol/L", "3.5-5.3", "H", "C"), (potassium.ObservationName, potassium.Value, potassium.Units, potassium.ReferenceRange, potassium.AbnormalFlag, potassium.Status));
        Assert.Equal(("LAB99", "U&E", "Urea and electrolytes"), (potassium.OrderNumber, potassium.TestCode, potassium.TestName));
        Assert.Equal(new DateTime(2026, 11, 25, 8, 30, 0), potassium.ObservedAt);
        Assert.Equal(("139", "N", "F"), (results[1].Value, results[1].AbnormalFlag, results[1].Status));
    }

    /// <summary>A self-signed certificate for localhost that is its own root, as a trust's integration CA would issue.</summary>
    private static X509Certificate2 LocalhostCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    [Fact]
    public async Task MLLP_runs_over_TLS_in_and_out_and_a_certificate_that_is_not_trusted_gets_no_connection()
    {
        using var certificate = LocalhostCertificate();
        var folder = Directory.CreateTempSubdirectory("lantern-mllp-tls-").FullName;
        try
        {
            var pfx = Path.Combine(folder, "listener.pfx");
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx));
            var root = Path.Combine(folder, "integration-ca.pem");
            await File.WriteAllTextAsync(root, certificate.ExportCertificatePem());
            await using var pharmacy = new FakeMllpSystem(certificate: certificate);
            await using var app = LanternApp.On(provider, new Dictionary<string, string?>(Settings)
            {
                ["Hl7v2:Listener:CertificatePath"] = pfx,
                ["Hl7v2:Destinations:0:Name"] = "PHARMACY", ["Hl7v2:Destinations:0:Port"] = pharmacy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Hl7v2:Destinations:0:ReceivingApplication"] = "PHARM",
                ["Hl7v2:Destinations:0:TlsHost"] = "localhost", ["Hl7v2:Destinations:0:TlsTrustedRootPath"] = root,
            });
            _ = app.Server;
            var endpoint = await app.Services.GetRequiredService<MllpListener>().Bound;
            var bed = await app.WithDbAsync(db => db.Beds.Where(b => db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")
                && b.Status == Lantern.Server.Organisation.BedStatus.Available && EF.Functions.Like(b.Label, "D%")).OrderBy(b => b.Label).Select(b => b.Label).FirstAsync());

            // The PAS connects over TLS, trusting the integration network's root: its admission is applied.
            await using (var pas = await MllpClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, "localhost", trustedRoots: [certificate]))
            {
                Accepted(await SendAsync(pas, Adt("A01", "T1", Pv1((2, "I"), (3, $"W07^^{bed}"), (4, "21"), (9, "7100010"), (14, "19"), (44, "20261125074500")))));
            }
            // The admission goes out to the pharmacy over TLS, its certificate checked against that root.
            Assert.Equal(["A01"], (await pharmacy.AcceptedAsync(1)).Select(m => m.Type.Trigger));

            // A client that does not trust the certificate does not connect; plain MLLP to the TLS port gets no ACK.
            await Assert.ThrowsAsync<AuthenticationException>(() => MllpClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, "localhost"));
            await using (var plain = await MllpClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port))
            {
                await Assert.ThrowsAnyAsync<IOException>(() => plain.SendAsync(Adt("A28", "T2"), TimeSpan.FromSeconds(10)));
            }
            Assert.Equal(["T1"], await app.WithDbAsync(db => db.InboundMessages.Select(m => m.ControlId!).ToListAsync()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_destination_starts_from_now_unless_it_asks_for_the_history()
    {
        await using var pharmacy = new FakeMllpSystem();
        await using var archive = new FakeMllpSystem();
        var first = LanternApp.On(provider, Settings);
        // Two systems are connected at the next restart: the pharmacy from now on, the archive with everything before it too.
        await using var second = first.Restart(new Dictionary<string, string?>
        {
            ["Hl7v2:Destinations:0:Name"] = "PHARMACY", ["Hl7v2:Destinations:0:Port"] = pharmacy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hl7v2:Destinations:0:ReceivingApplication"] = "PHARM",
            ["Hl7v2:Destinations:1:Name"] = "ARCHIVE", ["Hl7v2:Destinations:1:Port"] = archive.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hl7v2:Destinations:1:ReceivingApplication"] = "ARCH", ["Hl7v2:Destinations:1:SendHistory"] = "true",
        });
        await using (first)
        {
            var (client, _) = await StartAsync(first);
            await using var _client = client;
            var bed = await first.WithDbAsync(db => db.Beds.Where(b => db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")
                && b.Status == Lantern.Server.Organisation.BedStatus.Available && EF.Functions.Like(b.Label, "D%")).OrderBy(b => b.Label).Select(b => b.Label).FirstAsync());
            Accepted(await SendAsync(client, Adt("A01", "J1", Pv1((2, "I"), (3, $"W07^^{bed}"), (4, "21"), (9, "7100010"), (14, "19"), (44, "20261125074500")))));
        }
        var (again, _) = await StartAsync(second);
        await using var _again = again;
        // The pharmacy has joined (after the admission) before the transfer is made.
        for (var i = 0; i < 100 && !await second.WithDbAsync(db => db.OutboundMessages.AnyAsync(m => m.Destination == "PHARMACY")); i++)
        {
            await Task.Delay(100);
        }
        Accepted(await SendAsync(again, Adt("A02", "J2", Pv1((2, "I"), (3, "W07^^B5")), "20261125081500")));

        Assert.Equal(["A02"], (await pharmacy.AcceptedAsync(1)).Select(m => m.Type.Trigger));
        Assert.Equal(["A01", "A02"], (await archive.AcceptedAsync(2)).Select(m => m.Type.Trigger));
        Assert.Single(pharmacy.Received);
        using var admin = await StaffBrowser.SignedInAsync(second, "admin");
        var monitor = await admin.GetPageAsync("/admin/interfaces");
        Assert.Contains("earlier events not sent", monitor.QuerySelector("[data-testid=destinations]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Movements_applied_side_by_side_each_reach_a_destination_once_and_in_order()
    {
        await using var pharmacy = new FakeMllpSystem();
        await using var app = LanternApp.On(provider, new Dictionary<string, string?>(Settings)
        {
            ["Hl7v2:Destinations:0:Name"] = "PHARMACY", ["Hl7v2:Destinations:0:Port"] = pharmacy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hl7v2:Destinations:0:ReceivingApplication"] = "PHARM",
        });
        var beds = await app.WithDbAsync(db => db.Beds.Where(b => db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")
                && b.Status == Lantern.Server.Organisation.BedStatus.Available && (EF.Functions.Like(b.Label, "B%") || EF.Functions.Like(b.Label, "D%")))
            .OrderBy(b => b.Label).Select(b => b.Label).Take(8).ToListAsync());
        Assert.True(beds.Count >= 4, $"{beds.Count} free beds in W07's female bays");
        const int cycles = 5;

        // Each connection admits its own patient to its own bed and cancels the admission, five times over, all
        // connections at once: on PostgreSQL their batches are applied and commit side by side. The pharmacy's sender goes on from the
        // last event it sent, so an event that committed after a later one would never be sent.
        var answers = await SendAtOnceAsync(app, beds.Count, 2 * cycles, (c, i) =>
        {
            var at = new DateTime(2026, 11, 25, 0, 0, 0).AddMinutes(20 * (i / 2)).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            var pv1 = Pv1((2, "I"), (3, $"W07^^{beds[c]}"), (4, "21"), (9, "7100010"), (14, "19"), (44, at));
            return Adt(i % 2 == 0 ? "A01" : "A11", $"S{c}-{i}", pv1).Replace("PAS123^^^RZZ^MR~9434765919^^^NHS^NH", $"PS{c}^^^RZZ^MR", StringComparison.Ordinal);
        });
        Assert.All(answers, a => Assert.True(a.Code == "AA", $"{a.Code}: {a.Error}"));

        var sent = await pharmacy.AcceptedAsync(beds.Count * 2 * cycles);
        Assert.Equal(beds.Count * 2 * cycles, sent.Count);
        var expected = Enumerable.Range(0, 2 * cycles).Select(i => i % 2 == 0 ? "A01" : "A11");
        Assert.All(sent.GroupBy(m => m.Segment("PID")!.Value(3)), patient => Assert.Equal(expected, patient.Select(m => m.Type.Trigger)));
        Assert.Equal(beds.Count, sent.Select(m => m.Segment("PID")!.Value(3)).Distinct().Count());
    }

    [Fact]
    public async Task Inpatient_events_go_out_in_order_retried_until_acknowledged_and_never_back_to_their_source()
    {
        // The pharmacy system is down for its first answer (AR); the PAS answers everything.
        await using var pharmacy = new FakeMllpSystem(n => n == 1 ? AckCode.Reject : AckCode.Accept);
        await using var pas = new FakeMllpSystem();
        await using var app = LanternApp.On(provider, new Dictionary<string, string?>(Settings)
        {
            ["Hl7v2:AllowedSenders:1"] = "WARDAPP",
            ["Hl7v2:Destinations:0:Name"] = "PHARMACY", ["Hl7v2:Destinations:0:Port"] = pharmacy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hl7v2:Destinations:0:ReceivingApplication"] = "PHARM",
            ["Hl7v2:Destinations:1:Name"] = "PAS", ["Hl7v2:Destinations:1:Port"] = pas.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hl7v2:Destinations:1:ReceivingApplication"] = "PAS",
        });
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        var bed = await app.WithDbAsync(db => db.Beds.Where(b => db.Wards.Any(w => w.Id == b.WardId && w.Code == "W07")
            && b.Status == Lantern.Server.Organisation.BedStatus.Available && EF.Functions.Like(b.Label, "D%")).OrderBy(b => b.Label).Select(b => b.Label).FirstAsync());

        // Admitted and moved by the PAS itself; discharged from another system (a ward app).
        Accepted(await SendAsync(client, Adt("A01", "O1", Pv1((2, "I"), (3, $"W07^^{bed}"), (4, "21"), (9, "7100010"), (14, "19"), (44, "20261125074500")))));
        Accepted(await SendAsync(client, Adt("A02", "O2", Pv1((2, "I"), (3, "W07^^B5")), "20261125081500")));
        Accepted(await SendAsync(client, Adt("A03", "O3", Pv1((2, "I"), (3, "W07^^B5"), (36, "1"), (37, "19"), (45, "20261125090000")))
            .Replace("|PAS|RZZ|", "|WARDAPP|RZZ|", StringComparison.Ordinal)));

        var sent = await pharmacy.AcceptedAsync(3);
        Assert.Equal(["A01", "A02", "A03"], sent.Select(m => m.Type.Trigger));
        Assert.Equal("A01", pharmacy.Received.First().Message.Type.Trigger); // the AR'd A01 was sent again before anything else
        Assert.Equal(4, pharmacy.Received.Count);
        var a01 = sent[0];
        Assert.Equal(("LANTERN", "PHARM"), (a01.SendingApplication, a01.Header.Value(5)));
        var pid = a01.Segment("PID")!;
        Assert.Equal(["PAS123", "9434765919"], pid.Field(3).Repetitions.Select(r => r.Value()));
        Assert.Equal(("LOVELACE", "ADA", "19501210", "F"), (pid.Value(5, 1), pid.Value(5, 2), pid.Value(7), pid.Value(8)));
        Assert.Equal(($"W07", bed, "21", "19", "20261125074500+0000"), (a01.Segment("PV1")!.Value(3, 1), a01.Segment("PV1")!.Value(3, 3),
            a01.Segment("PV1")!.Value(4), a01.Segment("PV1")!.Value(14), a01.Segment("PV1")!.Value(44)));
        Assert.Equal("B5", sent[1].Segment("PV1")!.Value(3, 3));
        Assert.Equal(("1", "19"), (sent[2].Segment("PV1")!.Value(36), sent[2].Segment("PV1")!.Value(37)));

        // The PAS is sent only the discharge: the admission and transfer came from it.
        Assert.Equal(["A03"], (await pas.AcceptedAsync(1)).Select(m => m.Type.Trigger));
        var record = await app.WithDbAsync(db => db.OutboundMessages.OrderBy(m => m.Id).Select(m => new { m.Destination, m.EventType, m.Status, m.Attempts }).ToListAsync());
        Assert.Contains(record, r => r is { Destination: "PHARMACY", EventType: "A01", Status: Lantern.Server.Interop.Hl7v2.Outbound.OutboundStatus.Sent, Attempts: 2 });
        Assert.Equal(2, record.Count(r => r is { Destination: "PAS", Status: Lantern.Server.Interop.Hl7v2.Outbound.OutboundStatus.Skipped }));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.UserName == "hl7-out:PHARMACY" && a.Action == Lantern.Server.Audit.AuditAction.Export)));
    }

    [Fact]
    public async Task A_refused_event_holds_that_patient_s_later_events_until_it_is_sent_again_or_passed_over()
    {
        // The pharmacy refuses (AE) the first two events it is sent, then takes everything.
        await using var pharmacy = new FakeMllpSystem(n => n <= 2 ? AckCode.Error : AckCode.Accept);
        await using var app = LanternApp.On(provider, new Dictionary<string, string?>(Settings)
        {
            ["Hl7v2:Destinations:0:Name"] = "PHARMACY", ["Hl7v2:Destinations:0:Port"] = pharmacy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hl7v2:Destinations:0:ReceivingApplication"] = "PHARM",
        });
        var (client, _) = await StartAsync(app);
        await using var _client = client;
        static string Other(string message) => message.Replace("PAS123^^^RZZ^MR~9434765919^^^NHS^NH", "PAS555^^^RZZ^MR", StringComparison.Ordinal);
        var admit = Pv1((2, "I"), (3, "W07"), (4, "21"), (9, "7100010"), (14, "19"), (44, "20261125074500"));

        // Ada and a second patient admitted (both refused by the pharmacy), then each moved to W12 (held: never sent).
        Accepted(await SendAsync(client, Adt("A01", "H1", admit, "20261125074500")));
        Accepted(await SendAsync(client, Other(Adt("A01", "H2", admit, "20261125074500"))));
        Accepted(await SendAsync(client, Adt("A02", "H3", Pv1((2, "I"), (3, "W12")), "20261125081500")));
        Accepted(await SendAsync(client, Other(Adt("A02", "H4", Pv1((2, "I"), (3, "W12")), "20261125081500"))));
        async Task<List<(long Id, string Event, string Mrn, OutboundStatus Status)>> OutboundAsync() => await app.WithDbAsync(async db =>
            (await db.OutboundMessages.Where(m => m.Status != OutboundStatus.Joined).OrderBy(m => m.OutboxId)
                .Select(m => new { m.Id, m.EventType, Mrn = db.Patients.Where(p => p.Id == m.PatientId).Select(p => p.Mrn).First(), m.Status }).ToListAsync())
            .Select(m => (m.Id, m.EventType, m.Mrn, m.Status)).ToList());
        for (var waited = 0; waited < 300 && (await OutboundAsync()).Count < 4; waited++)
        {
            await Task.Delay(100);
        }
        var stuck = await OutboundAsync();
        Assert.Equal([("A01", "PAS123", OutboundStatus.Refused), ("A01", "PAS555", OutboundStatus.Refused), ("A02", "PAS123", OutboundStatus.Held),
            ("A02", "PAS555", OutboundStatus.Held)], stuck.Select(m => (m.Event, m.Mrn, m.Status)));
        Assert.Equal(2, pharmacy.Received.Count);

        // The administrator's home page says that refusals wait for them (counts only); a clerk's does not.
        using var admin = await StaffBrowser.SignedInAsync(app, "admin");
        var notice = Assert.Single((await admin.GetPageAsync("/")).QuerySelectorAll("[data-testid=attention]"));
        Assert.Contains("2 events refused by a receiving system, and 2 events for the same patients held behind them", notice.TextContent, StringComparison.Ordinal);
        Assert.Equal("/admin/interfaces", notice.QuerySelector("a")!.GetAttribute("href"));
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        Assert.Empty((await clerk.GetPageAsync("/")).QuerySelectorAll("[data-testid=attention]"));

        // The administrator sees both refusals with what is held behind them; sends Ada's admission again: it goes, then her transfer.
        var monitor = await admin.GetPageAsync("/admin/interfaces");
        Assert.Equal(4, monitor.QuerySelectorAll("[data-testid=stuck-events] tbody tr").Length);
        // What was sent and the pharmacy's answer, opened from the list (audited: the text holds patient data).
        var refusal = await admin.GetPageAsync(monitor.QuerySelector($"[data-outbound-id='{stuck[0].Id}'] a")!.GetAttribute("href")!);
        Assert.StartsWith("MSH|^~\\&|LANTERN|", refusal.QuerySelector("[data-testid=outbound-raw]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("MSA|AE|", refusal.QuerySelector("[data-testid=outbound-ack]")!.TextContent, StringComparison.Ordinal);
        var held = await admin.GetPageAsync($"/admin/interfaces/out/{stuck[2].Id}");
        Assert.Contains("held behind an earlier event for the patient", held.Body!.TextContent, StringComparison.Ordinal);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.UserName == "admin" && a.Action == Lantern.Server.Audit.AuditAction.Read
            && EF.Functions.Like(a.RecordId!, "out/PHARMACY/%") && a.Reason == "Interface monitor: outbound message text opened")));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/interfaces", [], handler: $"SendAgain&id={stuck[0].Id}")).StatusCode);
        var sent = await pharmacy.AcceptedAsync(2);
        Assert.Equal([("A01", "PAS123"), ("A02", "PAS123")], sent.Select(m => (m.Type.Trigger, m.Segment("PID")!.Value(3, 1))));

        // The second patient's admission is passed over: their transfer goes on without it.
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/interfaces", [], handler: $"PassOver&id={stuck[1].Id}")).StatusCode);
        sent = await pharmacy.AcceptedAsync(3);
        Assert.Equal(("A02", "PAS555"), (sent[2].Type.Trigger, sent[2].Segment("PID")!.Value(3, 1)));
        // The sender records each answer after the pharmacy has given it: wait for the last to be recorded.
        for (var waited = 0; waited < 300 && (await OutboundAsync()).Any(m => m.Status is OutboundStatus.Queued or OutboundStatus.Held); waited++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(5, pharmacy.Received.Count); // nothing sent twice, nothing out of step
        Assert.Equal([OutboundStatus.Sent, OutboundStatus.PassedOver, OutboundStatus.Sent, OutboundStatus.Sent], (await OutboundAsync()).Select(m => m.Status));
        Assert.Empty((await admin.GetPageAsync("/")).QuerySelectorAll("[data-testid=attention]")); // nothing waits any more
        var decisions = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.UserName == "admin" && a.Action == Lantern.Server.Audit.AuditAction.Update)
            .Select(a => a.Reason).ToListAsync());
        Assert.Contains(decisions, d => d!.StartsWith("Sent again: ADT^A01", StringComparison.Ordinal) && d.Contains("1 held", StringComparison.Ordinal));
        Assert.Contains(decisions, d => d!.StartsWith("Passed over refused ADT^A01", StringComparison.Ordinal));
    }
}

public sealed class Hl7InboxOnSqlite() : Hl7InboxContract(StorageProvider.Sqlite);

public sealed class Hl7InboxOnPostgres() : Hl7InboxContract(StorageProvider.Postgres);
