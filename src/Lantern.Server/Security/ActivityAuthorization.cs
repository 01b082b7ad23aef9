using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Lantern.Server.Security;

/// <summary>Satisfied when the role the member of staff acts in grants the activity.</summary>
public sealed record ActivityRequirement(Activity Activity) : IAuthorizationRequirement;

public sealed class ActivityHandler : AuthorizationHandler<ActivityRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ActivityRequirement requirement)
    {
        // An app acting for the person needs both: their role grants it, and a user/ scope the app holds covers it.
        if (RoleActivities.Grants(CurrentStaff.RoleOf(context.User), requirement.Activity)
            && (!OAuth.SmartScopeHandler.IsAppToken(context.User) || OAuth.SmartScopeHandler.EndpointAllows(context, OAuth.SmartScopes.User)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
