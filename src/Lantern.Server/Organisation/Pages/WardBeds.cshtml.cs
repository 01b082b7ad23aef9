using Lantern.Server.Platform.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Lantern.Server.Security;

namespace Lantern.Server.Organisation.Pages;

/// <summary>A ward's layout: bays with their designated sex, and each bed with its status.</summary>
[RequireActivity(Activity.ViewTrustDirectory)]
public sealed class WardBedsModel(LanternDb db) : PageModel
{
    public Ward Ward { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code)
    {
        var ward = await db.Wards.Include(w => w.Specialty).Include(w => w.Bays).Include(w => w.Beds)
            .AsSplitQuery().FirstOrDefaultAsync(w => w.Code == code);
        if (ward is null)
        {
            return NotFound();
        }
        Ward = ward;
        return Page();
    }
}
