using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;

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
        // An app acting for the person needs more: a scope covering the call, the person's account still active, and
        // its token not ended by the person signing out (the token outlives the page that got it, so both are
        // checked on every call, not at issue).
        if (OAuth.SmartScopeHandler.IsAppToken(context.User)
            && (!AppScopesAllow(context) || !await AccountActiveAsync(context) || !await TokenLiveAsync(context)))
        {
            return;
        }
        context.Succeed(requirement);
    }

    /// <summary>The app's scopes cover the FHIR interaction this endpoint is (see <see cref="CurrentStaff.AppMay"/>).</summary>
    private static bool AppScopesAllow(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http && OAuth.SmartScopeHandler.EndpointAllows(context, http.RequestServices.GetRequiredService<CurrentStaff>().AppMay);

    private static async Task<bool> TokenLiveAsync(AuthorizationHandlerContext context)
    {
        if (context.Resource is not HttpContext http || context.User.GetTokenId() is not { } id)
        {
            return false;
        }
        var tokens = http.RequestServices.GetRequiredService<IOpenIddictTokenManager>();
        return await tokens.FindByIdAsync(id) is { } token && await tokens.HasStatusAsync(token, OpenIddictConstants.Statuses.Valid);
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
