using Lantern.Server.Organisation;
using Microsoft.AspNetCore.Identity;

namespace Lantern.Server.Platform.Identity;

/// <summary>A member of trust staff with a local Lantern account.</summary>
public sealed class StaffUser : IdentityUser
{
    /// <summary>Name as shown to colleagues and in the audit trail, e.g. "Sarah Jones".</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Job title, e.g. "Staff Nurse" or "Specialty Registrar".</summary>
    public string JobTitle { get; set; } = "";

    /// <summary>Wards the person works on: the basis of their ward-level legitimate relationships.</summary>
    public List<Ward> Wards { get; set; } = [];

    /// <summary>Clinical teams the person belongs to.</summary>
    public List<ClinicalTeam> Teams { get; set; } = [];

    /// <summary>Explicit permission to see sensitive (sealed) records; given by a system administrator, audited.</summary>
    public bool MaySeeSensitiveRecords { get; set; }
}
