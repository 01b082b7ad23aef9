using Lantern.Server.Platform;
using Lantern.Server.Platform.Storage;
using OpenIddict.Abstractions;
using OpenIddict.Server;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// OAuth 2.0 for systems that call Lantern (integration engines, GP systems, SMART backend services), by
/// OpenIddict: the client credentials grant at /connect/token, access tokens checked on every FHIR call, and
/// SMART scopes (system/Patient.rs …) deciding which FHIR interactions a client may use (<see cref="SmartScopeHandler"/>).
/// Clients and tokens are stored in the Lantern database; secrets are hashed by OpenIddict.
/// </summary>
public static class OAuthRegistration
{
    public const string TokenPath = "/connect/token";

    /// <summary>Staff session or access token: a bearer token goes to OpenIddict, anything else to the staff cookie.</summary>
    public const string StaffOrSystemScheme = "staff-or-system";

    public static IServiceCollection AddLanternOAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var requireHttps = configuration.GetValue<bool?>($"{LanternOptions.Section}:{nameof(LanternOptions.RequireHttps)}") ?? !environment.IsDevelopment();
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<LanternDb>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenPath.TrimStart('/'));
                server.SetAuthorizationEndpointUris(SmartAppLaunch.AuthorizePath.TrimStart('/'));
                server.AllowClientCredentialsFlow();
                // SMART app launch: authorization code, PKCE required of every client.
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                // SMART scopes are a grammar (system/Patient.rs, system/*.cruds), not a fixed list: each client's
                // permitted scopes are checked by OpenIddict against its registration instead.
                server.DisableScopeValidation();
                server.SetAccessTokenLifetime(TimeSpan.FromMinutes(60));
                // SMART online_access: an app may refresh its token through a shift, until the person signs out
                // (sign-out revokes every token issued for them, see Logout).
                server.AllowRefreshTokenFlow().SetRefreshTokenLifetime(TimeSpan.FromHours(12));
                server.AddEventHandler<OpenIddictServerEvents.ProcessSignInContext>(handler => handler
                    .UseInlineHandler(context =>
                    {
                        // OpenIddict issues refresh tokens for offline_access; SMART apps acting for staff ask for online_access.
                        if (context.EndpointType == OpenIddictServerEndpointType.Token && context.Principal?.HasScope(SmartScopes.OnlineAccess) == true)
                        {
                            (context.GenerateRefreshToken, context.IncludeRefreshToken) = (true, true);
                        }
                        return default;
                    })
                    .SetOrder(OpenIddictServerHandlers.EvaluateGeneratedTokens.Descriptor.Order + 1)
                    .SetType(OpenIddictServerHandlerType.Custom));
                // Keys live in memory for the life of the process: tokens last an hour and clients fetch new ones
                // after a restart. A multi-node deployment must configure shared signing and encryption certificates.
                server.AddEncryptionKey(ProcessKeys.Encryption).AddSigningKey(ProcessKeys.Signing);
                // Access tokens are signed JWTs, not also encrypted: they hold no secret (who, role, scopes), SMART
                // apps may read them, and decrypting one (RSA-OAEP) on every FHIR call cost more than the call itself.
                server.DisableAccessTokenEncryption();
                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough();
                if (!requireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });
        services.AddAuthentication().AddPolicyScheme(StaffOrSystemScheme, "Staff session or system access token", scheme =>
            scheme.ForwardDefaultSelector = http => http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme
                : Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, SmartScopeHandler>();
        services.AddScoped<DemoIntegrationClients>();
        services.AddScoped<EhrLaunch>();
        return services;
    }
}

/// <summary>RSA keys made once per process (making them costs a few hundred milliseconds on a small machine).</summary>
internal static class ProcessKeys
{
    private static readonly Lazy<Microsoft.IdentityModel.Tokens.RsaSecurityKey> SigningKey = new(New);
    private static readonly Lazy<Microsoft.IdentityModel.Tokens.RsaSecurityKey> EncryptionKey = new(New);

    public static Microsoft.IdentityModel.Tokens.SecurityKey Signing => SigningKey.Value;
    public static Microsoft.IdentityModel.Tokens.SecurityKey Encryption => EncryptionKey.Value;

    private static Microsoft.IdentityModel.Tokens.RsaSecurityKey New() => new(System.Security.Cryptography.RSA.Create(2048));
}
