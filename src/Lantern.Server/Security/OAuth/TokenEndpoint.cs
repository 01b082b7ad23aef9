using System.Security.Claims;
using Lantern.Server.Audit;
using Microsoft.AspNetCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// Issues access tokens to registered systems (client credentials). OpenIddict has already checked the client's
/// secret and that each requested scope is one it is permitted; this names the client in the token and audits it.
/// </summary>
public static class TokenEndpoint
{
    public const string SystemRole = "SystemIntegration";

    public static WebApplication MapTokenEndpoint(this WebApplication app)
    {
        app.MapPost(OAuthRegistration.TokenPath, async (HttpContext http, IOpenIddictApplicationManager applications, AuditTrail audit, CancellationToken cancel) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request");
            if (!request.IsClientCredentialsGrantType())
            {
                return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }
            var client = await applications.FindByClientIdAsync(request.ClientId!, cancel)
                ?? throw new InvalidOperationException("OpenIddict let an unknown client through");
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetClaim(Claims.Name, $"system:{request.ClientId}");
            identity.SetClaim(Claims.Role, SystemRole);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            await audit.SaveAsync(new AuditEvent(AuditAction.Create, "AccessToken", request.ClientId,
                Reason: $"Client credentials: {await applications.GetDisplayNameAsync(client, cancel)}; scopes {string.Join(' ', request.GetScopes())}",
                UserName: $"system:{request.ClientId}", Role: SystemRole), cancel);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
