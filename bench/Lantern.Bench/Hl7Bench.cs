using System.Diagnostics;
using Lantern.Hl7v2.Er7;
using Lantern.Hl7v2.Mllp;
using Lantern.Server.Interop.Hl7v2.Mllp;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Synthetic;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Bench;

/// <summary>
/// HL7 v2 ingest over MLLP: N connections, each sending ADT messages one after another and waiting for the ACK
/// (original mode, as a PAS does). Every message is stored durably, applied and audited before its AA comes back.
/// Workloads: A28 (register a new person: MPI write with duplicate check), A31 (update a known person) and an inpatient
/// flow (A01 admit, A02 move, A03 discharge, the inpatient model through the ward pages' commands). People are
/// generated as the MPI suite's (realistic names, dates of birth and postcodes) with valid test NHS numbers in PID-3,
/// as NHS PAS feeds send them.
/// </summary>
internal static class Hl7Bench
{
    public const string Sender = "BENCH-PAS";

    public static async Task RunAsync(BenchServer server, StorageProvider provider, int[] connections, TimeSpan duration, string[]? only = null)
    {
        var endpoint = server.MllpEndpoint;
        Console.WriteLine($"HL7 v2 benchmark: {provider}, {Environment.ProcessorCount} cores, MLLP over loopback, sender in this process and the server in its own, " +
            $"{duration.TotalSeconds:0} s per workload; {await server.DatasetAsync()}");
        Console.WriteLine();
        LoadRun.PrintHeader(38);
        var run = Guid.NewGuid().ToString("N")[..6];
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // Test NHS numbers well past the demo trust's (which start at 999 010 000), one per person, never reused in a run.
        using var numbers = SyntheticPatients.NhsNumbers("9995000000").GetEnumerator();
        string NextNhsNumber()
        {
            lock (numbers)
            {
                return numbers.MoveNext() ? numbers.Current : throw new InvalidOperationException("Out of test NHS numbers");
            }
        }
        var wards = await WardCodesAsync(server);
        foreach (var (name, trigger) in new[]
        {
            ("ADT^A28 register (new person)", "A28"), ("ADT^A31 update (same people)", "A31"), ("ADT^A01/A02/A03 admit, move, discharge", "Move"),
        }.Where(w => only is null || only.Contains(w.Item2, StringComparer.OrdinalIgnoreCase)))
        {
            foreach (var workers in connections)
            {
                var cpuBefore = TimeSpan.Zero;
                var result = await LoadRun.RunAsync(name, workers, duration, async w =>
                {
                    var client = await MllpClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port);
                    // People as a PAS sends them: the MPI suite's names, dates of birth and postcodes, with NHS numbers.
                    var people = new SyntheticPatients(workers * 1000 + w, today);
                    // The flow's people were born before its first admission: the generator makes a few newborns, and an
                    // admission before a patient's birth is refused (AE), rightly.
                    Demographics Regular()
                    {
                        var person = people.Next(NextNhsNumber());
                        return trigger == "Move" && person.BirthDate >= DateOnly.FromDateTime(MovesStart) ? Regular() : person;
                    }
                    var regulars = trigger is "A31" or "Move" ? Enumerable.Range(0, 200).Select(_ => Regular()).ToArray() : [];
                    var sent = 0;
                    return async () =>
                    {
                        sent++;
                        string message;
                        if (trigger == "Move")
                        {
                            message = MoveMessage($"{run}{workers}-{w}-M-{sent}", $"{run}{workers}W{w}M", regulars, sent, wards);
                        }
                        else
                        {
                            // A28: a new person each time; A31: one of this connection's 200 regulars (registered by their
                            // first message), with a new address each time.
                            var (person, demographics) = trigger == "A28" ? (sent, people.Next(NextNhsNumber()))
                                : (sent % 200 + 1, regulars[sent % 200] with { AddressLine1 = $"{sent} Park Road" });
                            message = Message(trigger, $"{run}{workers}-{w}-{trigger}-{sent}", $"{run}{workers}W{w}P{person}", demographics);
                        }
                        var ack = await client.SendAsync(message, TimeSpan.FromSeconds(30));
                        return ack.Contains("|AA|", StringComparison.Ordinal);
                    };
                }, async () =>
                {
                    await server.RefreshStatisticsAsync();
                    cpuBefore = server.ProcessorTime;
                });
                var cpu = server.ProcessorTime - cpuBefore;
                LoadRun.Print(result, workers, 38);
                // CPU per message varies less than messages per second on a shared machine, and shows where the time goes
                // when the server does not keep every core busy (a single writer).
                Console.WriteLine($"{"",38} server CPU {cpu.TotalMilliseconds / Math.Max(1, result.Requests):0.000} ms per message, {cpu.TotalSeconds / result.Seconds:0.00} cores busy");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Inbound messages stored: {await server.InboundCountAsync():N0}; server peak RSS {server.PeakRssBytes / 1048576.0:0} MiB");
    }

    /// <summary>Ward codes to admit to and move between (ward level: a vacated bed waits to be cleaned before it is used again).</summary>
    private static async Task<string[]> WardCodesAsync(BenchServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        return [.. await db.Wards.OrderBy(w => w.Code).Select(w => w.Code).Take(2).ToListAsync()];
    }

    /// <summary>When the connection's first movement happened: each step a minute after the last, all in the past.</summary>
    private static readonly DateTime MovesStart = DateTime.UtcNow.Date.AddDays(-20);

    /// <summary>
    /// Message <paramref name="sent"/> of a connection's inpatient flow: each of its 200 regulars in turn is admitted
    /// (A01, which registers them the first time), moved to another ward (A02) and discharged (A03), a minute apart.
    /// </summary>
    private static string MoveMessage(string control, string mrnPrefix, Demographics[] regulars, int sent, string[] wards)
    {
        var step = (sent - 1) % 3;
        var cycle = (sent - 1) / 3;
        var person = cycle % regulars.Length;
        var at = MovesStart.AddMinutes(sent).ToString("yyyyMMddHHmm00", System.Globalization.CultureInfo.InvariantCulture);
        var (trigger, pv1) = step switch
        {
            0 => ("A01", Pv1((3, wards[0]), (4, "21"), (9, "7100010"), (14, "19"), (44, at))), // emergency via A&E, from home, under Dr Bennett
            1 => ("A02", Pv1((3, wards[1]))),
            _ => ("A03", Pv1((3, wards[1]), (36, "1"), (37, "19"), (45, at))), // on clinical advice, to usual residence
        };
        return Message(trigger, control, $"{mrnPrefix}{person}", regulars[person], at) + pv1;
    }

    /// <summary>An inpatient PV1 segment with the given fields set.</summary>
    private static string Pv1(params (int Field, string Value)[] fields)
    {
        var segment = new Hl7Segment("PV1", Er7Delimiters.Standard);
        foreach (var (field, value) in new[] { (1, "1"), (2, "I") }.Concat(fields))
        {
            segment.SetRaw(field, value);
        }
        return segment.ToEr7() + "\r";
    }

    private static string Message(string trigger, string control, string mrn, Demographics d, string at = "20261125080000") =>
        $"MSH|^~\\&|{Sender}|RZZ|LANTERN|RZZ|{at}||ADT^{trigger}|{control}|P|2.4\r" +
        $"EVN|{trigger}|{at}\r" +
        $"PID|1||{mrn}^^^RZZ^MR~{d.NhsNumber}^^^NHS^NH||{d.FamilyName}^{d.GivenName}^^^{d.Title}||{d.BirthDate:yyyyMMdd}|{(d.Gender == Gender.Female ? "F" : "M")}|||" +
        $"{d.AddressLine1}^^{d.Town}^^{d.Postcode}\r";
}
