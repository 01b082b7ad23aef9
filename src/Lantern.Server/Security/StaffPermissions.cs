using Lantern.Server.Platform.Identity;

namespace Lantern.Server.Security;

public static class StaffPermissions
{
    /// <summary>Whether the role the member of staff acts in grants <paramref name="activity"/> (for showing links and sections).</summary>
    public static bool Can(this CurrentStaff staff, Activity activity) => RoleActivities.Grants(staff.Role, activity);
}
