using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Lantern.Server.Audit;
using Lantern.Server.Security;

namespace Lantern.Server.Account;

/// <summary>Sign-out is a POST with an antiforgery token, so no link or image can sign a clinician out.</summary>
[AnySignedInStaff]
public sealed class LogoutModel(SignInManager<StaffUser> signIn, AuditTrail audit) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Home/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await audit.SaveAsync(new AuditEvent(AuditAction.SignOut, "StaffUser", User.Identity?.Name));
        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login", new { SignedOut = true });
    }
}
