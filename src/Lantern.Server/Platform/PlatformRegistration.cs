using Lantern.Server.Platform.Logging;
using Lantern.Server.Security;

namespace Lantern.Server.Platform;

public static class PlatformRegistration
{
    /// <summary>Options, JSON logs and shutdown behaviour shared by every module.</summary>
    public static WebApplicationBuilder AddLanternPlatform(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LanternOptions>().Bind(builder.Configuration.GetSection(LanternOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(
            builder.Configuration.GetValue($"{LanternOptions.Section}:{nameof(LanternOptions.ShutdownTimeoutSeconds)}", 30)));

        // API enums as words ("female", "verified"), never as numbers that change meaning if members are reordered.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(
            new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));

        // One JSON object per line, UTC timestamps: ready for any log shipper, no console parsing.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json =>
        {
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            json.IncludeScopes = false;
        });
        return builder;
    }

    public static WebApplication UseLanternPipeline(this WebApplication app)
    {
        // A TLS-terminating proxy on this host (loopback, the default trusted proxy) tells us the client's scheme and address.
        app.UseForwardedHeaders(new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
        });
        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }
        app.UseStaticFiles();
        app.UseMiddleware<RequestLogging>();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
