using Lantern.Server.Security;
using Microsoft.OpenApi;

namespace Lantern.Server.Platform;

/// <summary>
/// The JSON API described in OpenAPI 3.1 at /openapi/v1.json, generated from the endpoints themselves by ASP.NET
/// Core's own generator (Microsoft.AspNetCore.OpenApi), so the document cannot drift from the code. Pages are not
/// in it; signed-in staff (and integration engineers) may read it.
/// </summary>
public static class ApiDocumentation
{
    public static IServiceCollection AddLanternApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = api => api.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Lantern EPR API",
                    Version = "v1",
                    Description = "JSON API of the Lantern EPR. Every call needs a signed-in member of staff with the activity named in the "
                        + "endpoint's description; every read and change of patient data is audited. Refusals are RFC 9457 ProblemDetails: "
                        + "400 with `errors` keyed by the camelCase field name, 404, 409 when someone else changed the record first, "
                        + "412/428 for If-Match on patient updates.",
                };
                return Task.CompletedTask;
            });
            // Say on each operation which activity it needs: the deny-by-default rule, visible to integrators.
            options.AddOperationTransformer((operation, context, _) =>
            {
                var activity = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequireActivityAttribute>().FirstOrDefault();
                if (activity is not null)
                {
                    operation.Description = $"{operation.Description}{(operation.Description is null ? "" : " ")}Needs the activity {activity.Activity}.".Trim();
                }
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapLanternApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi().RequireAuthorization(new AnySignedInStaffAttribute());
        return app;
    }
}

/// <summary>What an endpoint says about itself in the OpenAPI document.</summary>
public static class ApiDescriptions
{
    /// <summary>A command or query answering <typeparamref name="T"/>, or ProblemDetails: 400 (fields), 404, 409.</summary>
    public static RouteHandlerBuilder Describe<T>(this RouteHandlerBuilder endpoint, string summary, int status = StatusCodes.Status200OK) =>
        endpoint.WithSummary(summary).Produces<T>(status).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>A command with no body in its answer (204), or ProblemDetails: 400 (fields), 404, 409.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string summary) =>
        endpoint.WithSummary(summary).Produces(StatusCodes.Status204NoContent).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
