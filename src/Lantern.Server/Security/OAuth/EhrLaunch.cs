using System.Text.Json;
using Lantern.Server.Audit;
using Microsoft.AspNetCore.DataProtection;
using OpenIddict.Abstractions;

namespace Lantern.Server.Security.OAuth;

/// <summary>A registered SMART app that can be opened from a patient's record.</summary>
public sealed record LaunchableApp(string ClientId, string DisplayName, Uri LaunchUri);

/// <summary>What a launch was for: the app, the member of staff who opened it, and the patient whose record they were in.</summary>
public sealed record LaunchContext(string ClientId, string UserId, Guid PatientId);

/// <summary>
/// SMART EHR launch: a member of staff in a patient's record opens a registered app, which Lantern starts at its
/// launch URL with <c>iss</c> (the FHIR base) and <c>launch</c>, an opaque code naming the app, the person and the
/// patient. The app then asks to be authorised with scope <c>launch</c> and that code, and its token carries the
/// patient, to which its <c>patient/</c> scopes are confined. The code is sealed by ASP.NET Core data protection
/// (keys in the database, so any node can read it) and lasts ten minutes by Lantern's clock; it grants nothing by
/// itself, since the authorisation still needs the same person signed in.
/// </summary>
public sealed class EhrLaunch(IDataProtectionProvider protection, IOpenIddictApplicationManager applications, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Property of an app's registration holding its launch URL.</summary>
    public const string LaunchUriProperty = "launch_uri";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private IDataProtector Protector => protection.CreateProtector("Lantern.SmartEhrLaunch");

    /// <summary>The sealed form: the context and when it was made (Lantern's clock, so tests can move it).</summary>
    private sealed record Sealed(LaunchContext Context, DateTimeOffset MadeAt);

    /// <summary>Registered apps with a launch URL, by name.</summary>
    public async Task<IReadOnlyList<LaunchableApp>> AppsAsync(CancellationToken cancel)
    {
        var apps = new List<LaunchableApp>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancel))
        {
            if (LaunchUriOf(await applications.GetPropertiesAsync(application, cancel)) is { } launchUri)
            {
                apps.Add(new LaunchableApp((await applications.GetClientIdAsync(application, cancel))!, await applications.GetDisplayNameAsync(application, cancel) ?? "", launchUri));
            }
        }
        return [.. apps.OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>An app registration's launch URL, from its properties; null for an app staff cannot open from a record.</summary>
    public static Uri? LaunchUriOf(IReadOnlyDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(LaunchUriProperty, out var uri) && uri.ValueKind == JsonValueKind.String && Uri.TryCreate(uri.GetString(), UriKind.Absolute, out var launchUri)
            ? launchUri : null;

    /// <summary>Where to send the browser to open <paramref name="app"/> on this patient (audited as the launch).</summary>
    public async Task<Uri> StartAsync(LaunchableApp app, string userId, Guid patientId, string fhirBase, CancellationToken cancel)
    {
        var code = await CodeAsync(app.ClientId, userId, patientId, $"Opened {app.DisplayName} from the patient's record", cancel);
        var separator = app.LaunchUri.Query.Length > 0 ? '&' : '?';
        return new Uri($"{app.LaunchUri}{separator}iss={Uri.EscapeDataString(fhirBase)}&launch={Uri.EscapeDataString(code)}");
    }

    /// <summary>
    /// A launch code for this app, person and patient, audited as the launch with <paramref name="reason"/>: opened from
    /// the record (EHR launch), or the patient chosen for an app started on its own (standalone launch).
    /// </summary>
    public async Task<string> CodeAsync(string clientId, string userId, Guid patientId, string reason, CancellationToken cancel)
    {
        var code = Protector.Protect(JsonSerializer.Serialize(new Sealed(new LaunchContext(clientId, userId, patientId), clock.GetUtcNow())));
        await audit.SaveAsync(new AuditEvent(AuditAction.Create, "AppLaunch", clientId, patientId, reason), cancel);
        return code;
    }

    /// <summary>The context a launch code stands for; null when it is not one of Lantern's, has been altered, or has expired.</summary>
    public LaunchContext? Read(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Sealed>(Protector.Unprotect(code)) is { } launch && clock.GetUtcNow() - launch.MadeAt < Lifetime ? launch.Context : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
