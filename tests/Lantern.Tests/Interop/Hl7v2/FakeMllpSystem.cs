using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Hl7v2.Mllp;

namespace Lantern.Tests.Interop.Hl7v2;

/// <summary>
/// Another hospital system on a real loopback MLLP port: keeps every message it is sent and answers each with the ACK
/// code <paramref name="answer"/> picks (by how many it has had), as a PAS or pharmacy system would.
/// </summary>
internal sealed class FakeMllpSystem : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<int, string> answer;
    private readonly X509Certificate2? certificate;
    private readonly Task accepting;
    private int count;

    /// <summary>Answers each message with <paramref name="answer"/>(its number); over TLS with <paramref name="certificate"/> when given.</summary>
    public FakeMllpSystem(Func<int, string>? answer = null, X509Certificate2? certificate = null)
    {
        this.answer = answer ?? (_ => AckCode.Accept);
        this.certificate = certificate;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Every message received, in order, with the code it was answered.</summary>
    public ConcurrentQueue<(Hl7Message Message, string Answer)> Received { get; } = new();

    /// <summary>Waits (up to 30 s) until <paramref name="n"/> messages have been answered AA.</summary>
    public async Task<List<Hl7Message>> AcceptedAsync(int n)
    {
        for (var waited = 0; waited < 300 && Received.Count(r => r.Answer == AckCode.Accept) < n; waited++)
        {
            await Task.Delay(100);
        }
        return [.. Received.Where(r => r.Answer == AckCode.Accept).Select(r => r.Message)];
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            Stream stream = client.GetStream();
            await using var tls = certificate is null ? null : new SslStream(stream);
            try
            {
                if (tls is not null)
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop.Token);
                    stream = tls;
                }
                using var reader = new MllpReader(stream, 1 << 20);
                while (await reader.ReadAsync(stop.Token) is { } text)
                {
                    var message = Er7Parser.Parse(text);
                    var code = answer(Interlocked.Increment(ref count));
                    Received.Enqueue((message, code));
                    await stream.WriteAsync(MllpFrame.Wrap(Hl7Acks.For(message, code, code == AckCode.Accept ? null : Hl7Acks.ApplicationError, "test", DateTime.UtcNow)), stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
