using Lantern.Server.Platform.Storage;
using Microsoft.AspNetCore.Identity;

namespace Lantern.Server.Platform.Identity;

public static class IdentityRegistration
{
    /// <summary>
    /// Local staff accounts: hashed passwords (PBKDF2), lockout after 5 failures, a length-first password
    /// policy (NCSC guidance), optional TOTP second factor, and a session cookie that ends after the
    /// configured idle time. Every endpoint requires a signed-in user unless it opts out explicitly.
    /// </summary>
    public static IServiceCollection AddLanternIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var idle = TimeSpan.FromMinutes(
            configuration.GetValue($"{LanternOptions.Section}:{nameof(LanternOptions.IdleTimeoutMinutes)}", 15));

        services.AddIdentity<StaffUser, IdentityRole>(options =>
            {
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 5;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<LanternDb>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "Lantern.Session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/login";
            cookie.LogoutPath = "/logout";
            cookie.AccessDeniedPath = "/access-denied";
            cookie.ExpireTimeSpan = idle;
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        services.AddScoped<CurrentStaff>();
        return services;
    }

    /// <summary>Pages redirect to sign-in; JSON API and FHIR calls get a bare status code they can act on.</summary>
    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/fhir"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
