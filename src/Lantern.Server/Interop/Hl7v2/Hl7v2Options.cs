namespace Lantern.Server.Interop.Hl7v2;

/// <summary>The HL7 v2 interface engine's settings, under <c>Hl7v2</c>.</summary>
public sealed class Hl7v2Options
{
    public const string Section = "Hl7v2";

    /// <summary>
    /// MSH-3 sending applications whose messages Lantern applies (deny by default): any other sender's messages are
    /// stored, refused with AR and shown on the interface monitor.
    /// </summary>
    public List<string> AllowedSenders { get; init; } = [];

    /// <summary>The MLLP listener; off unless a port is set.</summary>
    public MllpListenerOptions Listener { get; init; } = new();

    /// <summary>
    /// How many batches of inbound messages are applied side by side on PostgreSQL (each in its own transaction); unset:
    /// one per core (two to eight). SQLite always applies with one (one writer at a time; a larger setting is logged and
    /// not used). Each connection has one message in flight, so a sender's messages still apply in the order sent.
    /// </summary>
    public int? Appliers { get; init; }

    /// <summary>Systems the inpatient module's ADT events are sent to (none by default).</summary>
    public List<Hl7Destination> Destinations { get; init; } = [];
}

/// <summary>A system that receives Lantern's ADT events over MLLP, each event in order, retried until it answers.</summary>
public sealed class Hl7Destination
{
    /// <summary>A short name for the monitor and the audit trail, e.g. "PAS" or "PHARMACY".</summary>
    public string Name { get; init; } = "";

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; }

    /// <summary>MSH-5 and MSH-6 of what is sent; MSH-5 is also the MSH-3 this system sends from, so its own events are not echoed back.</summary>
    public string ReceivingApplication { get; init; } = "";

    public string ReceivingFacility { get; init; } = "";

    /// <summary>MSH-4 of what is sent: the trust's site code.</summary>
    public string SendingFacility { get; init; } = "RZZ";

    /// <summary>
    /// A destination that has never been sent anything starts with the events after the newest one at the time it
    /// is first started (a new pharmacy system is not sent years of admissions); true sends it the whole outbox
    /// history from the first event instead.
    /// </summary>
    public bool SendHistory { get; init; }

    /// <summary>Connect with TLS, checking the destination's certificate against this host name.</summary>
    public string? TlsHost { get; init; }

    /// <summary>
    /// A certificate file (PEM or DER) of the certificate authority the destination's certificate must chain to, in place
    /// of the machine's trusted roots: a trust's own authority for its integration network. Unset: the machine's roots.
    /// </summary>
    public string? TlsTrustedRootPath { get; init; }
}

public sealed class MllpListenerOptions
{
    /// <summary>TCP port to listen on (0 or unset: no listener; -1: any free port, for tests). 2575 is the registered HL7 port.</summary>
    public int Port { get; init; }

    /// <summary>Address to bind; loopback unless the trust opens it to its integration network.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>A PFX certificate file to accept TLS connections with (MLLP over TLS); plain TCP when unset.</summary>
    public string? CertificatePath { get; init; }

    public string? CertificatePassword { get; init; }

    /// <summary>The largest message accepted, in bytes: a frame that grows past it is refused and the connection closed.</summary>
    public int MaxMessageBytes { get; init; } = 16 << 20;
}
