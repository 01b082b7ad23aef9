using System.Collections.Immutable;
using Lantern.Server.Security;
using Lantern.Server.Security.OAuth;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Administration.Pages;

/// <summary>
/// The systems and apps registered to call Lantern's FHIR API, with what each may ask for: for the system
/// administrator and the IG officer reviewing access. Registration stays on the server's command line
/// (register-system, register-app), where a secret can be shown once.
/// </summary>
[RequireActivity(Activity.ManageUsers)]
public sealed class ConnectedClientsModel(IOpenIddictApplicationManager applications) : PageModel
{
    public sealed record Row(string ClientId, string Name, string Kind, IReadOnlyList<string> Scopes, IReadOnlyList<string> RedirectUris, string? LaunchUri);

    public IReadOnlyList<Row> Clients { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancel)
    {
        var rows = new List<Row>();
        await foreach (var client in applications.ListAsync(count: null, offset: null, cancel))
        {
            var permissions = await applications.GetPermissionsAsync(client, cancel);
            rows.Add(new Row(
                await applications.GetClientIdAsync(client, cancel) ?? "",
                await applications.GetDisplayNameAsync(client, cancel) ?? "",
                await applications.GetClientTypeAsync(client, cancel) == ClientTypes.Public ? "App staff launch (authorization code, PKCE)" : "System (client credentials)",
                Scopes(permissions),
                (await applications.GetRedirectUrisAsync(client, cancel)).ToList(),
                EhrLaunch.LaunchUriOf(await applications.GetPropertiesAsync(client, cancel))?.ToString()));
        }
        Clients = [.. rows.OrderBy(r => r.ClientId, StringComparer.Ordinal)];
    }

    private static List<string> Scopes(ImmutableArray<string> permissions) =>
        [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..])];
}
