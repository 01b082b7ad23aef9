using Lantern.Server.Audit;
using Lantern.Server.Organisation;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Administration.Pages;

/// <summary>
/// Create ("new") or change a staff account: role, wards, teams, permission to see sensitive records,
/// enabled or disabled, temporary password. Every change is one audited permission change.
/// </summary>
[RequireActivity(Activity.ManageUsers)]
public sealed class EditStaffAccountModel(LanternDb db, UserManager<StaffUser> users, AuditTrail audit) : FormPageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public List<int> WardIds { get; set; } = [];
    [BindProperty] public List<int> TeamIds { get; set; } = [];
    [BindProperty] public bool MaySeeSensitiveRecords { get; set; }
    [BindProperty] public bool Disabled { get; set; }
    [BindProperty] public string? TemporaryPassword { get; set; }

    public bool IsNew { get; private set; }
    public IReadOnlyList<Ward> AllWards { get; private set; } = [];
    public IReadOnlyList<ClinicalTeam> AllTeams { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id)
    {
        await LoadChoicesAsync();
        if (id == "new")
        {
            IsNew = true;
            return Page();
        }
        if (await FindAsync(id) is not { } user)
        {
            return NotFound();
        }
        UserName = user.UserName;
        DisplayName = user.DisplayName;
        JobTitle = user.JobTitle;
        Role = (await users.GetRolesAsync(user)).FirstOrDefault();
        WardIds = [.. user.Wards.Select(w => w.Id)];
        TeamIds = [.. user.Teams.Select(t => t.Id)];
        MaySeeSensitiveRecords = user.MaySeeSensitiveRecords;
        Disabled = StaffAccount.IsDisabled(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        await LoadChoicesAsync();
        IsNew = id == "new";
        var user = IsNew ? new StaffUser() : await FindAsync(id);
        if (user is null)
        {
            return NotFound();
        }
        var userName = IsNew ? UserName?.Trim() ?? "" : user.UserName!;
        UserName = userName;
        if (IsNew && !StaffAccount.IsValidUserName(userName))
        {
            AddError(nameof(UserName), "Enter a username of 2 to 64 lower-case letters, digits, dots, hyphens or underscores");
        }
        else if (IsNew && await users.FindByNameAsync(userName) is not null)
        {
            AddError(nameof(UserName), "That username is already taken");
        }
        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            AddError(nameof(DisplayName), "Enter the person's name");
        }
        var role = StaffRole.Find(Role ?? "");
        if (role is null)
        {
            AddError(nameof(Role), "Select a role");
        }
        if (IsNew && string.IsNullOrEmpty(TemporaryPassword))
        {
            AddError(nameof(TemporaryPassword), "Enter a temporary password for the person's first sign-in");
        }
        if (!string.IsNullOrEmpty(TemporaryPassword))
        {
            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, user, TemporaryPassword);
                foreach (var error in check.Errors)
                {
                    AddError(nameof(TemporaryPassword), error.Description);
                }
            }
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var before = IsNew ? "new account" : await DescribeAsync(user);
        user.UserName = userName;
        user.DisplayName = DisplayName!.Trim();
        user.JobTitle = JobTitle?.Trim() ?? "";
        user.MaySeeSensitiveRecords = MaySeeSensitiveRecords;
        user.Wards = [.. AllWards.Where(w => WardIds.Contains(w.Id))];
        user.Teams = [.. AllTeams.Where(t => TeamIds.Contains(t.Id))];
        user.LockoutEnabled = true;
        user.LockoutEnd = Disabled ? DateTimeOffset.MaxValue : (StaffAccount.IsDisabled(user) ? null : user.LockoutEnd);
        if (!string.IsNullOrEmpty(TemporaryPassword))
        {
            user.PasswordHash = users.PasswordHasher.HashPassword(user, TemporaryPassword);
        }
        // Any change to what someone may do ends their current sessions at the next check.
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.NormalizedUserName = users.NormalizeName(userName);
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        if (IsNew)
        {
            db.Users.Add(user);
        }
        var current = await db.UserRoles.Where(r => r.UserId == user.Id).ToListAsync();
        db.UserRoles.RemoveRange(current.Where(r => r.RoleId != role!.Name));
        if (current.All(r => r.RoleId != role!.Name))
        {
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role!.Name });
        }
        var after = Describe(role!.Name, user);
        await audit.SaveAsync(new AuditEvent(AuditAction.PermissionChange, "StaffUser", userName,
            Reason: $"{before} -> {after}{(string.IsNullOrEmpty(TemporaryPassword) ? "" : "; temporary password set")}"));
        return Redirect("/admin/users");
    }

    private async Task<StaffUser?> FindAsync(string id) =>
        await db.Users.Include(u => u.Wards).Include(u => u.Teams).AsSplitQuery().FirstOrDefaultAsync(u => u.Id == id);

    private async Task LoadChoicesAsync()
    {
        AllWards = await db.Wards.OrderBy(w => w.Name).ToListAsync();
        AllTeams = await db.ClinicalTeams.OrderBy(t => t.Name).ToListAsync();
    }

    private async Task<string> DescribeAsync(StaffUser user) =>
        Describe((await users.GetRolesAsync(user)).FirstOrDefault() ?? "none", user);

    private static string Describe(string role, StaffUser user) =>
        $"role={role}; wards={string.Join('|', user.Wards.Select(w => w.Code).Order())}; teams={user.Teams.Count}; " +
        $"sensitive={user.MaySeeSensitiveRecords}; disabled={StaffAccount.IsDisabled(user)}";
}
