using System.Security.Claims;
using Lantern.Server.Audit;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// SMART on FHIR standalone app launch for staff: an app registered by the trust (a public client using PKCE)
/// sends the member of staff to /connect/authorize; they sign in to Lantern as usual (or are already signed in),
/// and the app gets an authorization code, then at /connect/token an access token carrying who they are, their
/// role, and the <c>user/</c> scopes asked for. With it, each FHIR call is allowed only when both the person's
/// role (and care relationship, for clinical records) and the app's scopes allow it, and is audited as the person.
/// Apps are registered by the trust, so there is no consent screen: the trust has already decided to trust them.
/// </summary>
public static class SmartAppLaunch
{
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>Claim naming the app (client id) in an access token it holds for a member of staff.</summary>
    public const string AppClaim = "lantern:smart_app";

    private static readonly string[] IdentityClaims = [ClaimTypes.NameIdentifier, ClaimTypes.Name, ClaimTypes.Role, StaffClaimsFactory.DisplayNameClaim];

    public static WebApplication MapSmartAppLaunch(this WebApplication app)
    {
        app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).AllowAnonymous().ExcludeFromDescription();
        // SMART discovery (public, like /fhir/metadata): where to authorise and what is supported.
        app.MapGet("/fhir/.well-known/smart-configuration", (HttpRequest request) => Results.Json(Configuration($"{request.Scheme}://{request.Host}{request.PathBase}")))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, AuditTrail audit, CancellationToken cancel)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OAuth 2.0 request");
        var staff = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!staff.Succeeded)
        {
            // Sign in first (the usual Lantern sign-in, two-factor included), then come back here.
            var query = http.Request.HasFormContentType ? QueryString.Create(http.Request.Form.Select(f => KeyValuePair.Create(f.Key, (StringValues)f.Value))) : http.Request.QueryString;
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + query }, [IdentityConstants.ApplicationScheme]);
        }
        var scopes = request.GetScopes();
        var unknown = scopes.Where(s => !SmartScopes.IsWellFormed(s, SmartScopes.User) && s is not (Scopes.OpenId or "fhirUser")).ToList();
        if (unknown.Count > 0 || scopes.Length == 0)
        {
            return Refusal(Errors.InvalidScope, unknown.Count > 0
                ? $"An app acting for a member of staff may ask for user/ scopes only, not {string.Join(' ', unknown)}"
                : "Ask for the user/ scopes the app needs, such as user/Patient.rs");
        }

        var principal = staff.Principal!;
        var identity = new ClaimsIdentity(principal.Claims.Where(c => IdentityClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, ClaimTypes.Role);
        identity.SetClaim(Claims.Subject, principal.FindFirstValue(ClaimTypes.NameIdentifier));
        identity.SetClaim(Claims.Name, principal.Identity!.Name);
        identity.SetClaim(AppClaim, request.ClientId);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        await audit.SaveAsync(new AuditEvent(AuditAction.Create, "AppAuthorisation", request.ClientId,
            Reason: $"SMART app launch: {request.ClientId} acts for this user with {string.Join(' ', scopes)}"), cancel);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>An OAuth error for the client (OpenIddict answers it in the protocol's own form).</summary>
    internal static IResult Refusal(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static Dictionary<string, object> Configuration(string baseUrl) => new()
    {
        ["issuer"] = baseUrl + "/",
        ["authorization_endpoint"] = baseUrl + AuthorizePath,
        ["token_endpoint"] = baseUrl + OAuthRegistration.TokenPath,
        ["grant_types_supported"] = new[] { GrantTypes.AuthorizationCode, GrantTypes.ClientCredentials },
        ["response_types_supported"] = new[] { ResponseTypes.Code },
        ["code_challenge_methods_supported"] = new[] { CodeChallengeMethods.Sha256 },
        ["token_endpoint_auth_methods_supported"] = new[] { ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.ClientSecretPost },
        ["scopes_supported"] = new[] { "user/*.cruds", "user/*.rs", "system/*.cruds", "system/*.rs" },
        ["capabilities"] = new[] { "launch-standalone", "client-public", "client-confidential-symmetric", "permission-user", "permission-v1", "permission-v2" },
    };

    /// <summary>An app's registration: a public client (no secret, PKCE required) with its redirect URI and the user/ scopes it may ask for.</summary>
    public static OpenIddictApplicationDescriptor AppDescriptor(string clientId, string displayName, Uri redirectUri, IEnumerable<string> scopes)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Public,
            DisplayName = displayName,
            RedirectUris = { redirectUri },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var scope in scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
        return descriptor;
    }
}
