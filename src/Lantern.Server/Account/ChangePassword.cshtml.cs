using Lantern.Server.Platform.Ui;
using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Lantern.Server.Security;

namespace Lantern.Server.Account;

[AnySignedInStaff]
public sealed class ChangePasswordModel(CurrentStaff staff, UserManager<StaffUser> users, SignInManager<StaffUser> signIn) : FormPageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    [TempData] public string? Message { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(CurrentPassword))
        {
            AddError(nameof(CurrentPassword), "Enter your current password");
        }
        if (string.IsNullOrEmpty(NewPassword))
        {
            AddError(nameof(NewPassword), "Enter a new password");
        }
        else if (NewPassword != ConfirmPassword)
        {
            AddError(nameof(ConfirmPassword), "The new passwords do not match");
        }
        var user = await staff.GetUserAsync();
        if (user is null)
        {
            return Challenge();
        }
        if (ModelState.IsValid)
        {
            var result = await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword!);
            if (result.Succeeded)
            {
                await signIn.RefreshSignInAsync(user);
                Message = "Your password has been changed.";
                return RedirectToPage("/Account/Index");
            }
            foreach (var error in result.Errors)
            {
                var field = error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? nameof(CurrentPassword) : nameof(NewPassword);
                var text = error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Your current password is not correct" : error.Description;
                AddError(field, text);
            }
        }
        CurrentPassword = NewPassword = ConfirmPassword = null;
        return Page();
    }
}
