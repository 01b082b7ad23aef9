using Lantern.Server.Platform.Ui;
using System.Text;
using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Lantern.Server.Platform;
using Lantern.Server.Security;

namespace Lantern.Server.Account;

/// <summary>Turns the authenticator-app (TOTP, RFC 6238) second factor on or off for the signed-in user.</summary>
[AnySignedInStaff]
public sealed class TwoFactorModel(CurrentStaff staff, UserManager<StaffUser> users, SignInManager<StaffUser> signIn,
    IOptions<LanternOptions> options) : FormPageModel
{
    [BindProperty] public string? Code { get; set; }
    [TempData] public string? Message { get; set; }
    public bool Enabled { get; private set; }
    public string SharedKey { get; private set; } = "";
    public string AuthenticatorUri { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await staff.GetUserAsync();
        if (user is null)
        {
            return Challenge();
        }
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await staff.GetUserAsync();
        if (user is null)
        {
            return Challenge();
        }
        var code = TotpCode.Normalise(Code);
        if (code is null)
        {
            AddError(nameof(Code), "Enter the 6-digit security code from your authenticator app");
        }
        else if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            AddError(nameof(Code), "The security code is not correct. Check the key in your app and try again");
        }
        if (!ModelState.IsValid)
        {
            Code = null;
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        await signIn.RefreshSignInAsync(user);
        Message = "Two-factor authentication is on. You will need a code from your app each time you sign in.";
        return RedirectToPage("/Account/Index");
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await staff.GetUserAsync();
        if (user is null)
        {
            return Challenge();
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        Message = "Two-factor authentication is off.";
        return RedirectToPage("/Account/Index");
    }

    private async Task LoadAsync(StaffUser user)
    {
        Enabled = user.TwoFactorEnabled;
        if (Enabled)
        {
            return;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }
        SharedKey = FormatKey(key);
        var issuer = Uri.EscapeDataString($"Lantern EPR ({options.Value.TrustName})");
        AuthenticatorUri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(user.UserName ?? "")}?secret={key}&issuer={issuer}&digits=6";
    }

    private static string FormatKey(string key)
    {
        var formatted = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            formatted.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }
        return formatted.ToString().TrimEnd().ToLowerInvariant();
    }
}
