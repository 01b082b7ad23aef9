using Lantern.Server.Audit;
using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;

namespace Lantern.Server.Account;

/// <summary>Records sign-in, failed sign-in and sign-out; nobody is signed in yet during the request, so the name is given.</summary>
public sealed class SignInAudit(AuditTrail audit, UserManager<StaffUser> users)
{
    public async Task RecordAsync(string userName, AuditAction action, AuditOutcome outcome, string? reason = null)
    {
        var user = await users.FindByNameAsync(userName);
        var role = user is null ? null : (await users.GetRolesAsync(user)).FirstOrDefault();
        await audit.SaveAsync(new AuditEvent(action, "StaffUser", user is null ? null : userName,
            Reason: reason ?? (user is null ? "Unknown username" : null), Outcome: outcome, UserName: userName, Role: role));
    }
}
