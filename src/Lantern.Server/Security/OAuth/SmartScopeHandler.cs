using System.Security.Claims;
using Lantern.Server.Interop.Fhir;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// The activity check for a system client holding an access token (it has no staff role): allowed only on a
/// FHIR interaction that one of its granted SMART scopes covers. Anything else stays denied. (An app acting for a
/// member of staff is checked by <see cref="ActivityHandler"/>: the person's role and the app's user/ or patient/ scopes.)
/// </summary>
public sealed class SmartScopeHandler : AuthorizationHandler<ActivityRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ActivityRequirement requirement)
    {
        if (context.User.HasClaim(OpenIddictConstants.Claims.Role, TokenEndpoint.SystemRole)
            && EndpointAllows(context, (type, interaction) => SmartScopes.Allow(context.User.GetScopes(), type, interaction)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    /// <summary>Whether <paramref name="allows"/> (resource type, interaction) covers the FHIR interaction this endpoint is.</summary>
    internal static bool EndpointAllows(AuthorizationHandlerContext context, Func<string, Hl7.Fhir.Model.CapabilityStatement.TypeRestfulInteraction, bool> allows) =>
        context.Resource is HttpContext http
        && http.GetEndpoint()?.Metadata.GetMetadata<FhirInteraction>() is { } interaction
        && (interaction.ResourceType == FhirInteraction.SystemLevel // a Bundle: each entry is checked on its own
            || allows(interaction.ResourceType == "*" ? http.GetRouteValue("type") as string ?? "" : interaction.ResourceType, interaction.Interaction));

    /// <summary>An access token an app holds for a member of staff (SMART app launch), not a staff session.</summary>
    public static bool IsAppToken(ClaimsPrincipal principal) => principal.HasClaim(c => c.Type == SmartAppLaunch.AppClaim);
}
