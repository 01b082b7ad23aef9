using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Lantern.Server.Audit;

/// <summary>A signed-in member of staff refused a page or endpoint by their role is recorded, then sent on as usual.</summary>
public sealed class AuditedAuthorizationResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value;
            var audit = context.RequestServices.GetRequiredService<AuditTrail>();
            await audit.SaveAsync(new AuditEvent(AuditAction.Read, "Endpoint", "/" + route?.TrimStart('/'),
                Reason: "Role does not grant this activity", Outcome: AuditOutcome.Denied), context.RequestAborted);
        }
        await standard.HandleAsync(next, context, policy, authorizeResult);
    }
}
