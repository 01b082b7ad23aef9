using System.Security.Cryptography;
using Lantern.Server.Audit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// Registering OAuth clients, run by the trust's system administrator on the server (audited):
/// <c>register-system &lt;client-id&gt; &lt;scope&gt;...</c> for a system using client credentials with SMART
/// system scopes (its secret printed once, only a hash stored), and <c>register-app &lt;client-id&gt;
/// &lt;redirect-uri&gt; &lt;scope&gt;... [--launch-uri &lt;url&gt;]</c> for a SMART app staff launch, with the scopes it may
/// ask for and, to open it from a patient's record, its launch URL.
/// </summary>
public static class RegisterClientCommands
{
    public static async Task<int> SystemAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output, TextWriter errors)
    {
        if (arguments.Count < 2 || arguments.Skip(1).Any(s => !SmartScopes.IsWellFormed(s)))
        {
            await errors.WriteLineAsync("Usage: register-system <client-id> <scope> [<scope>...], scopes like system/Patient.rs or system/*.cruds");
            return 2;
        }
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = arguments[0],
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = arguments[0],
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var granted in arguments.Skip(1))
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + granted);
        }
        return await RegisterAsync(services, descriptor, arguments.Skip(1), output, errors,
            $"Registered {arguments[0]}. Its client secret (shown once, keep it safe): {secret}");
    }

    public static async Task<int> AppAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output, TextWriter errors)
    {
        var rest = arguments.ToList();
        Uri? launchUri = null;
        var launchAt = rest.IndexOf("--launch-uri");
        var launchUriOk = launchAt < 0 || (launchAt + 1 < rest.Count && Uri.TryCreate(rest[launchAt + 1], UriKind.Absolute, out launchUri));
        if (launchAt >= 0 && launchUriOk)
        {
            rest.RemoveRange(launchAt, 2);
        }
        if (!launchUriOk || rest.Count < 3 || !Uri.TryCreate(rest[1], UriKind.Absolute, out var redirect) || rest.Skip(2).Any(s => !SmartScopes.IsAppScope(s)))
        {
            await errors.WriteLineAsync("Usage: register-app <client-id> <redirect-uri> <scope> [<scope>...] [--launch-uri <url>], scopes like user/Patient.rs, " +
                "patient/Observation.rs (with launch), launch, online_access; --launch-uri lets staff open the app from a patient's record");
            return 2;
        }
        return await RegisterAsync(services, SmartAppLaunch.AppDescriptor(rest[0], rest[0], redirect, rest.Skip(2), launchUri), rest.Skip(2), output, errors,
            $"Registered app {rest[0]} (public client: no secret, PKCE required) redirecting to {redirect}{(launchUri is null ? "" : $", opened from patients' records at {launchUri}")}.");
    }

    private static async Task<int> RegisterAsync(IServiceProvider services, OpenIddictApplicationDescriptor descriptor, IEnumerable<string> scopes, TextWriter output, TextWriter errors, string done)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(descriptor.ClientId!) is not null)
        {
            await errors.WriteLineAsync($"A client called {descriptor.ClientId} is already registered.");
            return 1;
        }
        await applications.CreateAsync(descriptor);
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Create, descriptor.ClientType == ClientTypes.Public ? "SmartApp" : "SystemClient", descriptor.ClientId,
            Reason: "Registered with scopes " + string.Join(' ', scopes), UserName: Environment.UserName, Role: "ServerCommandLine"));
        await output.WriteLineAsync(done);
        return 0;
    }
}
