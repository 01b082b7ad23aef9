using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Lantern.Server.Audit;
using Lantern.Server.Security;
using OpenIddict.Abstractions;

namespace Lantern.Server.Account;

/// <summary>
/// Sign-out is a POST with an antiforgery token, so no link or image can sign a clinician out. It also ends every
/// token issued to apps acting for them (access and refresh): an app must not go on as the person once they have left.
/// </summary>
[AnySignedInStaff]
public sealed class LogoutModel(SignInManager<StaffUser> signIn, AuditTrail audit, IOpenIddictTokenManager tokens) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Home/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        var ended = signIn.UserManager.GetUserId(User) is { } id ? await tokens.RevokeBySubjectAsync(id) : 0;
        await audit.SaveAsync(new AuditEvent(AuditAction.SignOut, "StaffUser", User.Identity?.Name, Reason: ended > 0 ? $"Ended {ended} app token(s) acting for them" : null));
        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login", new { SignedOut = true });
    }
}
