using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Lantern.Server.Security;

/// <summary>Satisfied when the role the member of staff acts in grants the activity.</summary>
public sealed record ActivityRequirement(Activity Activity) : IAuthorizationRequirement;

public sealed class ActivityHandler : AuthorizationHandler<ActivityRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ActivityRequirement requirement)
    {
        if (!RoleActivities.Grants(CurrentStaff.RoleOf(context.User), requirement.Activity))
        {
            return;
        }
        // An app acting for the person needs more: a user/ scope covering the call, and the person's account still
        // active (its token outlives their session, so a disabled account is checked on every call, not at issue).
        if (OAuth.SmartScopeHandler.IsAppToken(context.User)
            && (!OAuth.SmartScopeHandler.EndpointAllows(context, OAuth.SmartScopes.User) || !await AccountActiveAsync(context)))
        {
            return;
        }
        context.Succeed(requirement);
    }

    private static async Task<bool> AccountActiveAsync(AuthorizationHandlerContext context)
    {
        if (context.Resource is not HttpContext http)
        {
            return false;
        }
        // Through CurrentStaff, which keeps the account for the rest of the request (the care-relationship check needs it too).
        var user = await http.RequestServices.GetRequiredService<CurrentStaff>().GetUserAsync();
        return user is not null && !await http.RequestServices.GetRequiredService<UserManager<StaffUser>>().IsLockedOutAsync(user);
    }
}
