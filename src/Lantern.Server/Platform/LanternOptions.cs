namespace Lantern.Server.Platform;

/// <summary>Trust-level settings, bound from the "Lantern" configuration section.</summary>
public sealed class LanternOptions
{
    public const string Section = "Lantern";

    /// <summary>Shown in the header of every page.</summary>
    public string TrustName { get; set; } = "Lantern Demo NHS Foundation Trust";

    /// <summary>Seeds a demo trust (wards, clinics, staff accounts) into an empty database. Refused in Production.</summary>
    public bool DemoMode { get; set; }

    /// <summary>A signed-in session ends after this many minutes without a request.</summary>
    public int IdleTimeoutMinutes { get; set; } = 15;

    /// <summary>How long in-flight requests get to finish when the server is asked to stop.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Sign-in attempts (form posts) allowed per client address per minute before 429.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 30;

    /// <summary>How long break-glass access to a record lasts.</summary>
    public int BreakGlassHours { get; set; } = 8;

    /// <summary>Secure-only cookies; defaults to true outside Development. Behind a TLS proxy on the same host, X-Forwarded-Proto is honoured.</summary>
    public bool? RequireHttps { get; set; }
}
