using System.Diagnostics;
using Lantern.Hl7v2.Mllp;
using Lantern.Server.Interop.Hl7v2.Mllp;
using Lantern.Server.Platform.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Bench;

/// <summary>
/// HL7 v2 ingest over MLLP: N connections, each sending ADT messages one after another and waiting for the ACK
/// (original mode, as a PAS does). Every message is stored durably, applied and audited before its AA comes back.
/// Workloads: A28 (register a new person: MPI write with duplicate check) and A31 (update a known person).
/// </summary>
internal static class Hl7Bench
{
    public const string Sender = "BENCH-PAS";

    public static async Task RunAsync(BenchServer server, StorageProvider provider, int[] connections, TimeSpan duration)
    {
        var endpoint = server.MllpEndpoint;
        Console.WriteLine($"HL7 v2 benchmark: {provider}, {Environment.ProcessorCount} cores, MLLP over loopback, sender in this process and the server in its own, " +
            $"{duration.TotalSeconds:0} s per workload; {await server.DatasetAsync()}");
        Console.WriteLine();
        LoadRun.PrintHeader(38);
        var run = Guid.NewGuid().ToString("N")[..6];
        foreach (var (name, trigger) in new[] { ("ADT^A28 register (new person)", "A28"), ("ADT^A31 update (same people)", "A31") })
        {
            foreach (var workers in connections)
            {
                var result = await LoadRun.RunAsync(name, workers, duration, async w =>
                {
                    var client = await MllpClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port);
                    var sent = 0;
                    return async () =>
                    {
                        sent++;
                        // A28: a new person each time; A31: one of the 200 this connection registered, updated.
                        var person = trigger == "A28" ? sent : sent % 200 + 1;
                        var ack = await client.SendAsync(Message(trigger, $"{run}{workers}-{w}-{trigger}-{sent}", $"{run}{workers}W{w}P{person}", person), TimeSpan.FromSeconds(30));
                        return ack.Contains("|AA|", StringComparison.Ordinal);
                    };
                });
                LoadRun.Print(result, workers, 38);
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Inbound messages stored: {await server.InboundCountAsync():N0}; server peak RSS {server.PeakRssBytes / 1048576.0:0} MiB");
    }

    private static string Message(string trigger, string control, string mrn, int person) =>
        $"MSH|^~\\&|{Sender}|RZZ|LANTERN|RZZ|20261125080000||ADT^{trigger}^ADT_A05|{control}|P|2.4\r" +
        $"EVN|{trigger}|20261125080000\r" +
        $"PID|1||{mrn}^^^RZZ^MR||BENCHMARK{(char)('A' + person % 26)}^PATIENT{(trigger == "A31" ? "^UPDATED" : "")}||19{40 + person % 60:00}0{1 + person % 9}1{person % 9}|{(person % 2 == 0 ? "F" : "M")}|||{person} Test Street^^Leeds^^LS1 {1 + person % 9}AB\r";
}
