using Lantern.Server.Platform.Identity;

namespace Lantern.Server.Administration;

public static class StaffAccount
{
    /// <summary>A disabled account is locked out indefinitely: the history of who did what stays attached to it.</summary>
    public static bool IsDisabled(StaffUser user) => user.LockoutEnd == DateTimeOffset.MaxValue;

    /// <summary>Usernames are short, lower-case and stable: they identify the person in the audit trail for good.</summary>
    public static bool IsValidUserName(string userName) =>
        userName.Length is >= 2 and <= 64 && userName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_');
}
