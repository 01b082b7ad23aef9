using Lantern.Server.Security;

namespace Lantern.Server.Audit;

public static class AuditEndpoints
{
    /// <summary>GET /api/audit/verify: the chain check for monitoring; 200 when intact, 409 naming the first bad entry.</summary>
    public static WebApplication MapLanternAudit(this WebApplication app)
    {
        app.MapGet("/api/audit/verify", async (AuditVerifier verifier, AuditTrail audit, CancellationToken cancel) =>
            {
                var result = await verifier.VerifyAndRecordAsync(audit, cancel);
                return Results.Json(result, statusCode: result.Intact ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
            })
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewAudit))
            .WithSummary("Verify the audit trail's hash chain end to end: 200 when intact, 409 naming the first broken entry");
        return app;
    }
}
