using System.Security.Claims;
using Lantern.Server.Audit;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// Issues access tokens to registered systems (client credentials) and to SMART apps acting for staff
/// (authorization code with PKCE, see <see cref="SmartAppLaunch"/>). OpenIddict has already checked the client's
/// secret or code and that each requested scope is one it is permitted; this names the caller in the token and audits it.
/// </summary>
public static class TokenEndpoint
{
    public const string SystemRole = "SystemIntegration";

    public static WebApplication MapTokenEndpoint(this WebApplication app)
    {
        app.MapPost(OAuthRegistration.TokenPath, async (HttpContext http, IOpenIddictApplicationManager applications, AuditTrail audit, CancellationToken cancel) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request");
            if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
            {
                return await AppTokenAsync(http, request, audit, cancel);
            }
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

    /// <summary>
    /// An app exchanging its authorization code (OpenIddict has checked the code, the PKCE verifier and the redirect
    /// URI) or its refresh token (OpenIddict has checked it is not revoked: sign-out revokes them): the token is
    /// issued only while the member of staff's account is still active, and names the launch patient, if any.
    /// </summary>
    private static async Task<IResult> AppTokenAsync(HttpContext http, OpenIddictRequest request, AuditTrail audit, CancellationToken cancel)
    {
        var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var users = http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Platform.Identity.StaffUser>>();
        var user = principal?.GetClaim(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
        if (principal is null || user is null || await users.IsLockedOutAsync(user))
        {
            return SmartAppLaunch.Refusal(Errors.InvalidGrant, "The member of staff who authorised this app can no longer sign in");
        }
        var patient = principal.GetClaim(SmartAppLaunch.PatientClaim);
        await audit.SaveAsync(new AuditEvent(AuditAction.Create, "AccessToken", request.ClientId, Guid.TryParse(patient, out var patientId) ? patientId : null,
            Reason: $"SMART app {request.ClientId} for {user.UserName} ({(request.IsRefreshTokenGrantType() ? "refreshed" : "authorization code")}); scopes {string.Join(' ', principal.GetScopes())}",
            UserName: user.UserName, Role: Platform.Identity.CurrentStaff.RoleOf(principal)?.Name), cancel);
        var properties = new AuthenticationProperties();
        if (patient is not null)
        {
            // SMART launch context: the app learns whose record it was opened on, and shows that patient's banner itself.
            properties.Parameters["patient"] = patient;
            properties.Parameters["need_patient_banner"] = true;
        }
        return Results.SignIn(principal, properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
