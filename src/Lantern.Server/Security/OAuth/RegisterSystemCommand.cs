using System.Security.Cryptography;
using Lantern.Server.Audit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// `register-system &lt;client-id&gt; &lt;scope&gt;...`: registers a system (integration engine, GP system, SMART backend
/// service) for the client credentials grant with the SMART system scopes it may ask for, and prints its secret
/// once (only a hash is stored). Run by the trust's system administrator on the server; audited.
/// </summary>
public static class RegisterSystemCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output, TextWriter errors)
    {
        if (arguments.Count < 2 || arguments.Skip(1).Any(s => !SmartScopes.IsSystemScope(s)))
        {
            await errors.WriteLineAsync("Usage: register-system <client-id> <scope> [<scope>...], scopes like system/Patient.rs or system/*.cruds");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var clientId = arguments[0];
        if (await applications.FindByClientIdAsync(clientId) is not null)
        {
            await errors.WriteLineAsync($"A system called {clientId} is already registered.");
            return 1;
        }
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = clientId,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var granted in arguments.Skip(1))
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + granted);
        }
        await applications.CreateAsync(descriptor);
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Create, "SystemClient", clientId,
            Reason: "Registered with scopes " + string.Join(' ', arguments.Skip(1)), UserName: Environment.UserName, Role: "ServerCommandLine"));
        await output.WriteLineAsync($"Registered {clientId}. Its client secret (shown once, keep it safe): {secret}");
        return 0;
    }
}
