using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Audit;
using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Hl7v2.Mllp;
using Lantern.Server.Platform.Storage;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lantern.Tests.Interop.Hl7v2;

/// <summary>
/// Store before ACK under the worst case: 10,000 ADT registrations sent over MLLP to a real Lantern server process,
/// which is killed (SIGKILL, no shutdown) twice mid-stream and started again. The senders resend whatever was not
/// acknowledged, as a PAS does. Afterwards every message that got AA is applied exactly once: one patient per
/// message, registered once (never updated by its own resend), one "applied" audit entry per control id.
/// </summary>
public abstract class Hl7KillRestartContract(StorageProvider provider)
{
    private const int Messages = 10_000, Senders = 4;

    /// <summary>Connections the senders lost and made again: proof the kills landed mid-stream.</summary>
    private int reconnects;

    [Fact]
    public async Task Ten_thousand_messages_survive_two_kills_each_acknowledged_message_applied_exactly_once()
    {
        var connection = LanternApp.NewConnection(provider);
        var port = FreePort();
        var server = Start(connection, port);
        try
        {
            var acknowledged = new ConcurrentDictionary<int, bool>();
            var senders = Enumerable.Range(0, Senders).Select(w => Task.Run(() => SendAsync(w, port, acknowledged))).ToList();
            foreach (var killAt in new[] { 3_000, 7_000 })
            {
                while (acknowledged.Count < killAt && senders.All(s => !s.IsCompleted))
                {
                    await Task.Delay(20);
                }
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
                server.Dispose();
                server = Start(connection, port);
            }
            await Task.WhenAll(senders);
            Assert.Equal(Messages, acknowledged.Count);
            Assert.True(reconnects >= 2, $"{reconnects} reconnections: the kills did not interrupt the senders");

            await using var db = LanternApp.OpenDatabase(provider, connection);
            var patients = await db.Patients.Where(p => EF.Functions.Like(p.Mrn, "K%")).Select(p => new { p.Mrn, p.Version }).ToListAsync();
            Assert.Equal(Messages, patients.Count);
            Assert.Equal(Messages, patients.Select(p => p.Mrn).Distinct().Count());
            // Registered once: a resend applied again would have recorded the same details a second time (a new version).
            Assert.Single(patients.Select(p => p.Version).Distinct());
            var applied = await db.AuditEntries.Where(a => a.RecordType == Hl7Inbox.RecordType && a.Reason!.StartsWith("Applied"))
                .GroupBy(a => a.RecordId).Select(g => g.Count()).ToListAsync();
            Assert.Equal(Messages, applied.Count);
            Assert.All(applied, count => Assert.Equal(1, count));
            Assert.Equal(Messages, await db.InboundMessages.CountAsync(m => m.Status == InboundStatus.Applied));
            // The audit chain is whole across the kills: every entry as written (numbered, hashed) reads back matching its hash.
            var audit = await new AuditVerifier(db, new AuditChainHead(), NullLogger<AuditVerifier>.Instance).VerifyAsync();
            Assert.True(audit.Intact, audit.Message);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            server.Dispose();
            await LanternApp.DeleteDatabaseAsync(provider, connection);
        }
    }

    /// <summary>One PAS connection: its share of the messages in order, each resent until it is acknowledged.</summary>
    private async Task SendAsync(int worker, int port, ConcurrentDictionary<int, bool> acknowledged)
    {
        MllpClient? client = null;
        for (var i = worker; i < Messages; i += Senders)
        {
            var message = $"MSH|^~\\&|PAS|RZZ|LANTERN|RZZ|20261125080000||ADT^A28|K{i}|P|2.4\rEVN|A28|20261125080000\r" +
                $"PID|1||K{i:D5}^^^RZZ^MR||RESTART^PATIENT{i}||19700101|{(i % 2 == 0 ? "F" : "M")}\r";
            for (var tries = 0; ; tries++)
            {
                Assert.True(tries < 600, $"K{i} was never acknowledged");
                try
                {
                    client ??= await MllpClient.ConnectAsync("127.0.0.1", port);
                    var ack = Er7Parser.Parse(await client.SendAsync(message, TimeSpan.FromSeconds(30)));
                    Assert.Equal((AckCode.Accept, $"K{i}"), (ack.Segment("MSA")!.Value(1), ack.Segment("MSA")!.Value(2)));
                    acknowledged[i] = true;
                    break;
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                {
                    // The server went away (killed) or is starting again: reconnect and send the same message again.
                    if (client is not null)
                    {
                        await client.DisposeAsync();
                        client = null;
                        Interlocked.Increment(ref reconnects);
                    }
                    await Task.Delay(100);
                }
            }
        }
        if (client is not null)
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>The real server, as its own process, from the build beside the tests.</summary>
    private Process Start(string connection, int port)
    {
        var info = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "Lantern.Server.dll"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Lantern__DemoMode"] = "true";
        info.Environment["Storage__Provider"] = provider.ToString();
        info.Environment["ConnectionStrings__Lantern"] = connection;
        info.Environment["Urls"] = "http://127.0.0.1:0";
        info.Environment["Hl7v2__Listener__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Hl7v2__AllowedSenders__0"] = "PAS";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // An interface engine node: no FHIR writes, so no profile compiling competing with the feed at each start.
        info.Environment["Fhir__Validation__WarmUpAtStart"] = "false";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

public sealed class Hl7KillRestartOnSqlite() : Hl7KillRestartContract(StorageProvider.Sqlite);

public sealed class Hl7KillRestartOnPostgres() : Hl7KillRestartContract(StorageProvider.Postgres);
