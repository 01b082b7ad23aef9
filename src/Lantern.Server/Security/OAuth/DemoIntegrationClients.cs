using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// The demo trust's registered systems (demo mode only, like the demo staff accounts; secrets published in the
/// README): an integration engine that may read, search, create and update patients, and a read-only one.
/// </summary>
public sealed class DemoIntegrationClients(IOpenIddictApplicationManager applications)
{
    public const string IntegrationClientId = "lantern-demo-integration";
    public const string ReadOnlyClientId = "lantern-demo-readonly";
    public const string Secret = "lantern-demo-client-secret";

    public async Task SeedAsync(CancellationToken cancel = default)
    {
        await AddAsync(IntegrationClientId, "Demo integration engine", ["system/Patient.cruds", "system/Patient.read", "system/Patient.write", "system/*.cruds"], cancel);
        await AddAsync(ReadOnlyClientId, "Demo read-only system", ["system/Patient.rs", "system/Patient.read"], cancel);
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
