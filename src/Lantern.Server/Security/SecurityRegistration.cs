using System.Threading.RateLimiting;
using Lantern.Server.Platform;
using Lantern.Server.Security.BreakGlass;
using Lantern.Server.Security.Relationships;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Lantern.Server.Security;

public static class SecurityRegistration
{
    public const string SignInRateLimit = "sign-in";

    /// <summary>Activity policies (deny by default), secure cookies and the sign-in rate limit.</summary>
    public static IServiceCollection AddLanternSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var authorization = services.AddAuthorizationBuilder()
            // Deny by default: an endpoint that names no policy is refused to everyone, signed in or not.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(_ => false).Build())
            .AddPolicy(AnySignedInStaffAttribute.PolicyName, p => p.RequireAuthenticatedUser());
        foreach (var activity in Enum.GetValues<Activity>())
        {
            authorization.AddPolicy(RequireActivityAttribute.PolicyName(activity),
                p => p.RequireAuthenticatedUser().AddRequirements(new ActivityRequirement(activity)));
        }
        services.AddSingleton<IAuthorizationHandler, ActivityHandler>();
        services.AddScoped<PatientAccess>();
        services.AddScoped<ILegitimateRelationshipSource, BreakGlassRelationships>();

        // Outside development the site is served over HTTPS (directly, or behind a TLS proxy that sends X-Forwarded-Proto):
        // cookies never travel in clear. Lantern:RequireHttps=false is for closed test rigs only.
        var requireHttps = configuration.GetValue<bool?>($"{LanternOptions.Section}:{nameof(LanternOptions.RequireHttps)}") ?? !environment.IsDevelopment();
        var secure = requireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.ConfigureApplicationCookie(cookie => cookie.Cookie.SecurePolicy = secure);
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, cookie => cookie.Cookie.SecurePolicy = secure);
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.SecurePolicy = secure;
            antiforgery.Cookie.Name = "Lantern.Antiforgery";
        });

        var perMinute = configuration.GetValue($"{LanternOptions.Section}:{nameof(LanternOptions.SignInAttemptsPerMinute)}", 30);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancel) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    "Too many sign-in attempts from this network. Wait a minute, then try again.", cancel);
            };
            // Password guessing is slowed per client address; the per-account lockout covers one account.
            limiter.AddPolicy(SignInRateLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("read"));
        });
        return services;
    }
}
