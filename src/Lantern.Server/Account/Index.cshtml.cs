using Lantern.Server.Platform.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Lantern.Server.Security;

namespace Lantern.Server.Account;

[AnySignedInStaff]
public sealed class AccountModel(CurrentStaff staff) : PageModel
{
    public StaffUser Staff { get; private set; } = null!;
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await staff.GetUserAsync();
        if (user is null)
        {
            return Challenge();
        }
        Staff = user;
        return Page();
    }
}
