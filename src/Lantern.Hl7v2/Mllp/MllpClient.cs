using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Lantern.Hl7v2.Mllp;

/// <summary>
/// One MLLP connection to another system: sends a message and waits for its ACK (original mode, one at a time).
/// Retrying belongs to the caller, who knows whether a message may be sent again.
/// </summary>
public sealed class MllpClient : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly Stream stream;
    private readonly MllpReader reader;

    private MllpClient(TcpClient tcp, Stream stream, int maxBytes)
    {
        this.tcp = tcp;
        this.stream = stream;
        reader = new MllpReader(stream, maxBytes);
    }

    /// <summary>
    /// Connects to host:port, over TLS when <paramref name="tlsHost"/> names the certificate's host. The certificate must
    /// chain to a root the machine trusts or, when <paramref name="trustedRoots"/> are given, to one of those only (a
    /// trust's own certificate authority for its integration network).
    /// </summary>
    public static async Task<MllpClient> ConnectAsync(string host, int port, string? tlsHost = null, int maxAckBytes = 1 << 20,
        X509Certificate2Collection? trustedRoots = null, CancellationToken cancel = default)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancel);
            Stream stream = tcp.GetStream();
            if (tlsHost is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                var options = new SslClientAuthenticationOptions { TargetHost = tlsHost };
                if (trustedRoots is { Count: > 0 })
                {
                    options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                    options.CertificateChainPolicy.CustomTrustStore.AddRange(trustedRoots);
                }
                await tls.AuthenticateAsClientAsync(options, cancel);
                stream = tls;
            }
            return new MllpClient(tcp, stream, maxAckBytes);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message and returns the reply's text; throws when the connection fails or no reply comes in time.</summary>
    public async Task<string> SendAsync(string message, TimeSpan timeout, CancellationToken cancel = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        await stream.WriteAsync(MllpFrame.Wrap(message), limit.Token);
        return await reader.ReadAsync(limit.Token) ?? throw new IOException("The other system closed the connection without acknowledging");
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await stream.DisposeAsync();
        tcp.Dispose();
    }
}
