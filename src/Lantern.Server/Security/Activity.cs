namespace Lantern.Server.Security;

/// <summary>
/// What a member of staff may do, after the activities of NHS national RBAC. A role grants activities
/// (see <see cref="RoleActivities"/>); every page and API endpoint demands exactly one of them, or is
/// marked as open to any signed-in member of staff.
/// </summary>
public enum Activity
{
    /// <summary>Find patients and see who they are: banner and demographics, no clinical content.</summary>
    ViewDemographics,

    /// <summary>Register a new patient or correct demographics.</summary>
    RegisterPatient,

    /// <summary>Merge two registrations of one person, and undo such a merge (medical records / data quality).</summary>
    MergePatients,

    /// <summary>Open a patient's clinical record (needs a legitimate relationship or break-glass).</summary>
    ViewClinicalRecord,

    /// <summary>Record observations such as NEWS2 vital signs.</summary>
    RecordObservations,

    /// <summary>Write a clinical note.</summary>
    WriteClinicalNote,

    /// <summary>Admit, transfer and discharge inpatients.</summary>
    AdmitTransferDischarge,

    /// <summary>Mark a bed clean, needing cleaning, closed or reopened (ward staff and bed managers).</summary>
    UpdateBedStatus,

    /// <summary>Change a ward's layout: add bays and beds, designate a bay's sex (system administrators).</summary>
    ManageWards,

    /// <summary>Gain time-limited access to a record without a legitimate relationship, giving a reason.</summary>
    BreakGlass,

    /// <summary>See wards, beds, teams and clinics of the trust.</summary>
    ViewTrustDirectory,

    /// <summary>Create and disable staff accounts; assign roles, wards and teams.</summary>
    ManageUsers,

    /// <summary>Watch the HL7 interfaces: inbound and outbound queues, refused messages with their text, replay.</summary>
    ManageInterfaces,

    /// <summary>Search and export the audit trail, verify its integrity, report who accessed a record.</summary>
    ViewAudit,

    /// <summary>Review break-glass accesses and mark records as sensitive.</summary>
    ReviewBreakGlass,
}
