using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Administration.Pages;

/// <summary>All staff accounts with their role, wards and teams, for the system administrator.</summary>
[RequireActivity(Activity.ManageUsers)]
public sealed class StaffAccountsModel(LanternDb db) : PageModel
{
    public sealed record Row(string Id, string UserName, string DisplayName, string JobTitle, string? Role, bool Disabled, string Wards, string Teams);

    public IReadOnlyList<Row> Accounts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancel)
    {
        var roles = await db.UserRoles.AsNoTracking().ToListAsync(cancel);
        var users = await db.Users.AsNoTracking().Include(u => u.Wards).Include(u => u.Teams).AsSplitQuery()
            .OrderBy(u => u.UserName).ToListAsync(cancel);
        Accounts = [.. users.Select(u => new Row(u.Id, u.UserName!, u.DisplayName, u.JobTitle,
            StaffRole.Find(roles.FirstOrDefault(r => r.UserId == u.Id)?.RoleId ?? "")?.DisplayName,
            StaffAccount.IsDisabled(u), string.Join(", ", u.Wards.Select(w => w.Code)), string.Join(", ", u.Teams.Select(t => t.Name))))];
    }
}
