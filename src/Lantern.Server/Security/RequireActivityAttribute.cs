using Microsoft.AspNetCore.Authorization;

namespace Lantern.Server.Security;

/// <summary>Demands that the signed-in member of staff's role grants <paramref name="activity"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequireActivityAttribute(Activity activity) : AuthorizeAttribute(PolicyName(activity))
{
    public Activity Activity { get; } = activity;

    public static string PolicyName(Activity activity) => "activity:" + activity;
}

/// <summary>
/// Marks a page that every signed-in member of staff may use whatever their role (their own account,
/// the home page). Explicit, so that an endpoint with no marking at all is refused (deny by default).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AnySignedInStaffAttribute() : AuthorizeAttribute(PolicyName)
{
    public const string PolicyName = "any-signed-in-staff";
}
