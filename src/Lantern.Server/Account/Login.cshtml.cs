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

[EnableRateLimiting(SecurityRegistration.SignInRateLimit)]
[AllowAnonymous]
public sealed partial class LoginModel(SignInManager<StaffUser> signIn, SignInAudit audit, ILogger<LoginModel> log) : FormPageModel
{
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public bool SignedOut { get; set; }
    [BindProperty(SupportsGet = true)] public bool TimedOut { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Username))
        {
            AddError(nameof(Username), "Enter your username");
        }
        if (string.IsNullOrEmpty(Password))
        {
            AddError(nameof(Password), "Enter your password");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var userName = Username!.Trim();
        var result = await signIn.PasswordSignInAsync(userName, Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await audit.RecordAsync(userName, AuditAction.SignIn, AuditOutcome.Success);
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/LoginTwoFactor", new { ReturnUrl });
        }
        if (result.IsLockedOut)
        {
            await audit.RecordAsync(userName, AuditAction.SignInFailed, AuditOutcome.Denied, "Account locked");
            AccountLocked(log);
            AddError(nameof(Username),
                "This account is locked because of too many failed sign-in attempts. Try again in 15 minutes or contact the IT service desk.");
            return Page();
        }
        await audit.RecordAsync(userName, AuditAction.SignInFailed, AuditOutcome.Failed, result.IsNotAllowed ? "Account not allowed" : null);
        // One message for unknown user and wrong password, so usernames cannot be discovered.
        AddError(nameof(Password), "The username or password is not correct");
        Password = null;
        return Page();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Sign-in refused: account locked")]
    private static partial void AccountLocked(ILogger log);

    /// <summary>Only same-site paths, so a crafted link cannot bounce a signed-in clinician elsewhere.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
