using Lantern.Server.Platform.Ui;
using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Lantern.Server.Audit;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lantern.Server.Account;

/// <summary>Second step of sign-in for staff who have turned on an authenticator app (TOTP).</summary>
[EnableRateLimiting(SecurityRegistration.SignInRateLimit)]
[AllowAnonymous]
public sealed class LoginTwoFactorModel(SignInManager<StaffUser> signIn, SignInAudit audit) : FormPageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { UserName: { } userName })
        {
            return RedirectToPage("/Account/Login");
        }
        var code = TotpCode.Normalise(Code);
        if (code is null)
        {
            AddError(nameof(Code), "Enter the 6-digit security code from your authenticator app");
            return Page();
        }
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await audit.RecordAsync(userName, AuditAction.SignIn, AuditOutcome.Success, "Password and security code");
            return LocalRedirect(LoginModel.SafeReturnUrl(ReturnUrl));
        }
        await audit.RecordAsync(userName, AuditAction.SignInFailed, result.IsLockedOut ? AuditOutcome.Denied : AuditOutcome.Failed,
            result.IsLockedOut ? "Account locked" : "Wrong security code");
        AddError(nameof(Code), result.IsLockedOut
            ? "This account is locked because of too many failed attempts. Try again in 15 minutes or contact the IT service desk."
            : "The security code is not correct. Check your authenticator app and try again");
        Code = null;
        return Page();
    }
}
