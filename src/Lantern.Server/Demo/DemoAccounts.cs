using Lantern.Server.Platform.Identity;

namespace Lantern.Server.Demo;

/// <summary>The demo trust's staff accounts, one or more per role. Their shared password is in the README.</summary>
public static class DemoAccounts
{
    /// <summary>Demo only: published in the README, refused in Production.</summary>
    public const string Password = "Lantern-Demo-2026";

    public sealed record Account(string UserName, string DisplayName, string JobTitle, StaffRole Role,
        string[] WardCodes, string[] TeamNames, bool MaySeeSensitiveRecords = false);

    public static IReadOnlyList<Account> All { get; } =
    [
        new("clerk", "Alex Morgan", "Ward Clerk", StaffRole.WardClerk, ["AMU"], []),
        new("nurse", "Sarah Jones", "Staff Nurse", StaffRole.Nurse, ["W07"], []),
        new("nurse2", "Grace Okafor", "Charge Nurse", StaffRole.Nurse, ["W12"], []),
        new("doctor", "Priya Shah", "Specialty Registrar", StaffRole.Doctor, [], ["Cardiology - Dr Bennett"], MaySeeSensitiveRecords: true),
        new("edclinician", "Tom Reilly", "Emergency Medicine Consultant", StaffRole.EdClinician, [], ["Emergency Department"]),
        new("theatres", "Jamie Clarke", "Theatre Practitioner", StaffRole.TheatrePractitioner, [], ["General Surgery - Mr Hughes"]),
        new("pharmacist", "Hannah Lee", "Ward Pharmacist", StaffRole.Pharmacist, ["W07", "W09"], []),
        new("admin", "Chris Patel", "EPR System Administrator", StaffRole.SystemAdministrator, [], []),
        new("igauditor", "Morgan Davies", "Information Governance Officer", StaffRole.IgAuditor, [], [], MaySeeSensitiveRecords: true),
    ];
}
