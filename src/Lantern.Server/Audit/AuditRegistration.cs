namespace Lantern.Server.Audit;

public static class AuditRegistration
{
    public static IServiceCollection AddLanternAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditChainHead>();
        services.AddSingleton<AuditBatcher>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<AuditVerifier>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResults>();
        return services;
    }
}
