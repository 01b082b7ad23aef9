using Lantern.Server.Interop.Fhir;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// The activity check for a system client holding an access token (it has no staff role): allowed only on a
/// FHIR interaction that one of its granted SMART scopes covers. Anything else stays denied.
/// </summary>
public sealed class SmartScopeHandler : AuthorizationHandler<ActivityRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ActivityRequirement requirement)
    {
        if (context.User.HasClaim(OpenIddictConstants.Claims.Role, TokenEndpoint.SystemRole)
            && context.Resource is HttpContext http
            && http.GetEndpoint()?.Metadata.GetMetadata<FhirInteraction>() is { } interaction
            && (interaction.ResourceType == FhirInteraction.SystemLevel
                || SmartScopes.Allow(context.User.GetScopes(), interaction.ResourceType == "*" ? http.GetRouteValue("type") as string ?? "" : interaction.ResourceType, interaction.Interaction)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
