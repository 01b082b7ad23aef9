using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// The demo trust's registered systems (demo mode only, like the demo staff accounts; secrets published in the
/// README): an integration engine that may read, search, create and update patients, a read-only one, and a
/// SMART app staff can launch (public client with PKCE).
/// </summary>
public sealed class DemoIntegrationClients(IOpenIddictApplicationManager applications)
{
    public const string IntegrationClientId = "lantern-demo-integration";
    public const string ReadOnlyClientId = "lantern-demo-readonly";
    public const string Secret = "lantern-demo-client-secret";
    public const string SmartAppClientId = "lantern-demo-smart-app";

    /// <summary>Where the demo SMART app listens for its authorization code (a loopback address on the user's machine).</summary>
    public static readonly Uri SmartAppRedirect = new("http://127.0.0.1:8765/callback");

    /// <summary>Where Lantern opens the demo SMART app from a patient's record (EHR launch).</summary>
    public static readonly Uri SmartAppLaunchUri = new("http://127.0.0.1:8765/launch");

    public async Task SeedAsync(CancellationToken cancel = default)
    {
        await AddAsync(IntegrationClientId, "Demo integration engine", ["system/Patient.cruds", "system/Patient.read", "system/Patient.write", "system/*.cruds"], cancel);
        await AddAsync(ReadOnlyClientId, "Demo read-only system", ["system/Patient.rs", "system/Patient.read"], cancel);
        // Brought up to date on every start: an older demo database has the app without its launch URL or refresh grant.
        var smartApp = SmartAppLaunch.AppDescriptor(SmartAppClientId, "Demo SMART app", SmartAppRedirect,
            ["user/Patient.rs", "user/Observation.rs", "user/Observation.cruds", "user/*.rs", "user/*.cruds",
             "patient/Patient.rs", "patient/Observation.rs", "patient/Observation.cruds", "patient/*.rs", SmartScopes.Launch, SmartScopes.LaunchPatient, SmartScopes.OnlineAccess], SmartAppLaunchUri);
        if (await applications.FindByClientIdAsync(SmartAppClientId, cancel) is { } existing)
        {
            await applications.UpdateAsync(existing, smartApp, cancel);
        }
        else
        {
            await applications.CreateAsync(smartApp, cancel);
        }
    }

    private async Task AddAsync(string clientId, string name, string[] scopes, CancellationToken cancel)
    {
        if (await applications.FindByClientIdAsync(clientId, cancel) is not null)
        {
            return;
        }
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = Secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
        await applications.CreateAsync(descriptor, cancel);
    }
}
