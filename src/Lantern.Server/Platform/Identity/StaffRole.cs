namespace Lantern.Server.Platform.Identity;

/// <summary>
/// The roles staff act in, after NHS national RBAC. Each maps to an Identity role of the same name;
/// the security module attaches activities to them.
/// </summary>
public sealed record StaffRole(string Name, string DisplayName)
{
    public static readonly StaffRole WardClerk = new("WardClerk", "Ward clerk");
    public static readonly StaffRole Nurse = new("Nurse", "Nurse");
    public static readonly StaffRole Doctor = new("Doctor", "Doctor");
    public static readonly StaffRole EdClinician = new("EdClinician", "ED clinician");
    public static readonly StaffRole TheatrePractitioner = new("TheatrePractitioner", "Theatre practitioner");
    public static readonly StaffRole Pharmacist = new("Pharmacist", "Pharmacist");
    public static readonly StaffRole SystemAdministrator = new("SystemAdministrator", "System administrator");
    public static readonly StaffRole IgAuditor = new("IgAuditor", "IG auditor");

    public static IReadOnlyList<StaffRole> All { get; } =
        [WardClerk, Nurse, Doctor, EdClinician, TheatrePractitioner, Pharmacist, SystemAdministrator, IgAuditor];

    public static StaffRole? Find(string name) => All.FirstOrDefault(r => r.Name == name);
}
