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
/// SMART on FHIR app launch for staff: an app registered by the trust (a public client using PKCE) sends the member
/// of staff to /connect/authorize; they sign in to Lantern as usual (or are already signed in), and the app gets an
/// authorization code, then at /connect/token an access token carrying who they are, their role, and the scopes
/// asked for. Standalone, an app holds <c>user/</c> scopes; opened from a patient's record (EHR launch, see
/// <see cref="EhrLaunch"/>), or started on its own with scope <c>launch/patient</c> and the patient chosen by the
/// person in Lantern (<see cref="Pages.ChoosePatientModel"/>), it may hold <c>patient/</c> scopes too, which reach
/// that patient only, and the token response names the patient. With <c>online_access</c> it also gets a refresh token, ended like its access token
/// when the person signs out. Each FHIR call is allowed only when both the person's role (and care relationship,
/// for clinical records) and the app's scopes allow it, and is audited as the person. Apps are registered by the
/// trust, so there is no consent screen: the trust has already decided to trust them.
/// </summary>
public static class SmartAppLaunch
{
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>Where a member of staff chooses the patient for an app started on its own (scope launch/patient).</summary>
    public const string ChoosePatientPath = "/connect/patient";

    /// <summary>Claim naming the app (client id) in an access token it holds for a member of staff.</summary>
    public const string AppClaim = "lantern:smart_app";

    /// <summary>Claim naming the patient an app was launched on (EHR launch): its patient/ scopes reach that patient only.</summary>
    public const string PatientClaim = "lantern:launch_patient";

    private static readonly string[] IdentityClaims = [ClaimTypes.NameIdentifier, ClaimTypes.Name, ClaimTypes.Role, StaffClaimsFactory.DisplayNameClaim];

    public static WebApplication MapSmartAppLaunch(this WebApplication app)
    {
        app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).AllowAnonymous().ExcludeFromDescription();
        // SMART discovery (public, like /fhir/metadata): where to authorise and what is supported.
        app.MapGet("/fhir/.well-known/smart-configuration", (HttpRequest request) => Results.Json(Configuration($"{request.Scheme}://{request.Host}{request.PathBase}")))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, AuditTrail audit, EhrLaunch ehrLaunch, CancellationToken cancel)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OAuth 2.0 request");
        var staff = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        // The request as a query string, whether it came as one or as a form: to come back to after a detour.
        var query = http.Request.HasFormContentType ? QueryString.Create(http.Request.Form.Select(f => KeyValuePair.Create(f.Key, (StringValues)f.Value))) : http.Request.QueryString;
        if (!staff.Succeeded)
        {
            // Sign in first (the usual Lantern sign-in, two-factor included), then come back here.
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + query }, [IdentityConstants.ApplicationScheme]);
        }
        var principal = staff.Principal!;
        var scopes = request.GetScopes();
        var unknown = scopes.Where(s => !SmartScopes.IsAppScope(s)).ToList();
        if (unknown.Count > 0 || !scopes.Any(s => SmartScopes.IsWellFormed(s, SmartScopes.User) || SmartScopes.IsWellFormed(s, SmartScopes.Patient)))
        {
            return Refusal(Errors.InvalidScope, unknown.Count > 0
                ? $"An app acting for a member of staff may ask for user/ and patient/ scopes, launch, online_access, openid and fhirUser only, not {string.Join(' ', unknown)}"
                : "Ask for the user/ or patient/ scopes the app needs, such as user/Patient.rs");
        }
        if (scopes.Contains(SmartScopes.LaunchPatient) && request["launch"] is null)
        {
            // Standalone launch: the person chooses the patient in Lantern, which sends them back here with a launch code for that choice.
            return Results.Redirect(http.Request.PathBase + ChoosePatientPath + query);
        }
        LaunchContext? launch = null;
        if (scopes.Contains(SmartScopes.Launch) || request["launch"] is not null)
        {
            launch = ehrLaunch.Read((string?)request["launch"]);
            if (launch is null || launch.ClientId != request.ClientId || launch.UserId != principal.FindFirstValue(ClaimTypes.NameIdentifier))
            {
                return Refusal(Errors.InvalidRequest, "This launch is not valid for this app and person, or has expired: open the app again from the patient's record");
            }
        }
        if (launch is null && scopes.Any(s => SmartScopes.IsWellFormed(s, SmartScopes.Patient)))
        {
            return Refusal(Errors.InvalidScope,
                "patient/ scopes need a patient: open the app from the patient's record (scope launch, with its launch code), or ask for launch/patient to choose one");
        }

        var identity = new ClaimsIdentity(principal.Claims.Where(c => IdentityClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, ClaimTypes.Role);
        identity.SetClaim(Claims.Subject, principal.FindFirstValue(ClaimTypes.NameIdentifier));
        identity.SetClaim(Claims.Name, principal.Identity!.Name);
        identity.SetClaim(AppClaim, request.ClientId);
        if (launch is not null)
        {
            identity.SetClaim(PatientClaim, launch.PatientId.ToString());
        }
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        await audit.SaveAsync(new AuditEvent(AuditAction.Create, "AppAuthorisation", request.ClientId, launch?.PatientId,
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
        ["grant_types_supported"] = new[] { GrantTypes.AuthorizationCode, GrantTypes.ClientCredentials, GrantTypes.RefreshToken },
        ["response_types_supported"] = new[] { ResponseTypes.Code },
        ["code_challenge_methods_supported"] = new[] { CodeChallengeMethods.Sha256 },
        ["token_endpoint_auth_methods_supported"] = new[] { ClientAuthenticationMethods.ClientSecretBasic, ClientAuthenticationMethods.ClientSecretPost },
        ["scopes_supported"] = new[]
        {
            "user/*.cruds", "user/*.rs", "patient/*.cruds", "patient/*.rs", "system/*.cruds", "system/*.rs", SmartScopes.Launch, SmartScopes.LaunchPatient, SmartScopes.OnlineAccess,
        },
        ["capabilities"] = new[]
        {
            "launch-standalone", "launch-ehr", "context-ehr-patient", "context-standalone-patient", "client-public", "client-confidential-symmetric",
            "permission-user", "permission-patient", "permission-online", "permission-v1", "permission-v2",
        },
    };

    /// <summary>
    /// An app's registration: a public client (no secret, PKCE required) with its redirect URI, the scopes it may ask
    /// for, and, for an app staff open from a patient's record, its launch URL.
    /// </summary>
    public static OpenIddictApplicationDescriptor AppDescriptor(string clientId, string displayName, Uri redirectUri, IEnumerable<string> scopes, Uri? launchUri = null)
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
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        if (launchUri is not null)
        {
            descriptor.Properties[EhrLaunch.LaunchUriProperty] = System.Text.Json.JsonSerializer.SerializeToElement(launchUri.ToString());
        }
        foreach (var scope in scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
        return descriptor;
    }
}
