using Lantern.Server.Platform.Identity;

namespace Lantern.Server.Security.Relationships;

/// <summary>Why a member of staff may open a patient's record.</summary>
public enum RelationshipKind
{
    /// <summary>The patient is an inpatient on a ward the member of staff works on.</summary>
    WardPatient,

    /// <summary>The patient is under the care of a team the member of staff belongs to.</summary>
    TeamPatient,

    /// <summary>The patient is expected within the day on a ward the member of staff works on (the ward prepares for them).</summary>
    ExpectedOnWard,

    /// <summary>No relationship: access granted for a limited time on a recorded reason, reviewed by IG.</summary>
    BreakGlass,
}

/// <summary>A relationship found, with words for the audit trail ("Ward 7 (Cardiology)").</summary>
public sealed record LegitimateRelationship(RelationshipKind Kind, string Detail)
{
    public string AuditReason => $"{Kind}: {Detail}";
}

/// <summary>
/// One source of legitimate relationships. Each clinical module that places patients in someone's care
/// (inpatient wards and teams now; clinic lists, theatre lists, ED care and referrals as those modules land)
/// registers one.
/// </summary>
public interface ILegitimateRelationshipSource
{
    Task<LegitimateRelationship?> FindAsync(StaffUser staff, Guid patientId, DateTime nowUtc, CancellationToken cancel);
}
