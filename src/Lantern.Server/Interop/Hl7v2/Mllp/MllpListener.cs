using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Lantern.Hl7v2.Mllp;
using Lantern.Server.Interop.Hl7v2.Inbound;
using Microsoft.Extensions.Options;

namespace Lantern.Server.Interop.Hl7v2.Mllp;

/// <summary>
/// The inbound MLLP listener: any number of connections at once, each a sequence of messages answered one by one in
/// order (original-mode acknowledgement). Every message goes through the <see cref="Hl7Inbox"/>, which stores it
/// before the ACK is written back. TLS when a certificate is configured.
/// </summary>
public sealed partial class MllpListener(Hl7Inbox inbox, IOptions<Hl7v2Options> options, ILogger<MllpListener> log) : BackgroundService
{
    private readonly TaskCompletionSource<IPEndPoint> bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where it listens, once started (port 0 in configuration picks a free one: tests).</summary>
    public Task<IPEndPoint> Bound => bound.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Listener;
        using var certificate = settings.CertificatePath is { } path ? X509CertificateLoader.LoadPkcs12FromFile(path, settings.CertificatePassword) : null;
        var listener = new TcpListener(IPAddress.Parse(settings.Address), settings.Port < 0 ? 0 : settings.Port);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        bound.TrySetResult(endpoint);
        LogListening(log, endpoint, certificate is not null);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken);
                _ = ServeAsync(client, certificate, settings.MaxMessageBytes, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task ServeAsync(TcpClient client, X509Certificate2? certificate, int maxBytes, CancellationToken stopping)
    {
        var peer = client.Client.RemoteEndPoint?.ToString() ?? "unknown";
        try
        {
            using (client)
            {
                client.NoDelay = true;
                Stream stream = client.GetStream();
                if (certificate is not null)
                {
                    var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stopping);
                    stream = tls;
                }
                await using (stream)
                {
                    using var reader = new MllpReader(stream, maxBytes);
                    while (await reader.ReadAsync(stopping) is { } text)
                    {
                        // Not cancelled by shutdown once read: a message being stored finishes and is answered.
                        var ack = await inbox.ReceiveAsync(text, peer, CancellationToken.None);
                        await stream.WriteAsync(MllpFrame.Wrap(ack), stopping);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            LogConnectionEnded(log, peer, e.Message);
        }
        catch (Exception e)
        {
            // The store failed (database down): no ACK goes back, so the sender keeps the message and sends it again.
            LogFailed(log, e, peer);
        }
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "MLLP listener on {Endpoint} (TLS: {Tls})")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint, bool tls);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Information, Message = "MLLP connection from {Peer} ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Error, Message = "MLLP connection from {Peer}: a message could not be stored; no ACK sent, connection closed")]
    private static partial void LogFailed(ILogger logger, Exception e, string peer);
}
