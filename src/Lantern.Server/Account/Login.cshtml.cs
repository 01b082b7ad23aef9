using Lantern.Server.Platform.Ui;
using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lantern.Server.Account;

[AllowAnonymous]
public sealed partial class LoginModel(SignInManager<StaffUser> signIn, ILogger<LoginModel> log) : FormPageModel
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

        var result = await signIn.PasswordSignInAsync(Username!.Trim(), Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/LoginTwoFactor", new { ReturnUrl });
        }
        if (result.IsLockedOut)
        {
            AccountLocked(log);
            AddError(nameof(Username),
                "This account is locked because of too many failed sign-in attempts. Try again in 15 minutes or contact the IT service desk.");
            return Page();
        }
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
