using System.Collections.Frozen;
using Lantern.Server.Platform.Identity;

namespace Lantern.Server.Security;

/// <summary>
/// The trust's role-to-activity baseline. Administrative roles see demographics only; clinical roles
/// see clinical records (subject to legitimate relationship); governance roles see the audit trail
/// but no clinical content; the system administrator manages accounts and sees no patient data.
/// </summary>
public static class RoleActivities
{
    private static readonly FrozenDictionary<string, FrozenSet<Activity>> Table = new Dictionary<string, Activity[]>
    {
        [StaffRole.WardClerk.Name] =
            [Activity.ViewDemographics, Activity.RegisterPatient, Activity.MergePatients, Activity.AdmitTransferDischarge, Activity.UpdateBedStatus, Activity.ViewTrustDirectory],
        [StaffRole.Nurse.Name] = Clinical(Activity.RecordObservations, Activity.WriteClinicalNote, Activity.UpdateBedStatus),
        [StaffRole.Doctor.Name] = Clinical(Activity.RecordObservations, Activity.WriteClinicalNote, Activity.AdmitTransferDischarge),
        [StaffRole.EdClinician.Name] = Clinical(Activity.RecordObservations, Activity.WriteClinicalNote, Activity.AdmitTransferDischarge, Activity.RegisterPatient),
        [StaffRole.TheatrePractitioner.Name] = Clinical(Activity.RecordObservations, Activity.WriteClinicalNote),
        [StaffRole.Pharmacist.Name] = Clinical(Activity.WriteClinicalNote),
        [StaffRole.SystemAdministrator.Name] = [Activity.ManageUsers, Activity.ManageInterfaces, Activity.ManageWards, Activity.UpdateBedStatus, Activity.ViewTrustDirectory],
        [StaffRole.IgAuditor.Name] = [Activity.ViewAudit, Activity.ReviewBreakGlass, Activity.ViewDemographics],
    }.ToFrozenDictionary(g => g.Key, g => g.Value.ToFrozenSet());

    public static bool Grants(StaffRole? role, Activity activity) =>
        role is not null && Table.TryGetValue(role.Name, out var activities) && activities.Contains(activity);

    public static IReadOnlySet<Activity> Of(StaffRole role) =>
        Table.TryGetValue(role.Name, out var activities) ? activities : FrozenSet<Activity>.Empty;

    private static Activity[] Clinical(params Activity[] more) =>
        [Activity.ViewDemographics, Activity.ViewClinicalRecord, Activity.BreakGlass, Activity.ViewTrustDirectory, .. more];
}
