using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.Relationships;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients;

/// <summary>
/// An inpatient is in the care of the staff of their current ward and of their responsible team; a patient expected on a
/// ward within the day, of that ward's staff.
/// </summary>
public sealed class InpatientRelationships(LanternDb db) : ILegitimateRelationshipSource
{
    public async Task<LegitimateRelationship?> FindAsync(StaffUser staff, Guid patientId, DateTime nowUtc, CancellationToken cancel)
    {
        var wardIds = staff.Wards.Select(w => w.Id).ToList();
        var teamIds = staff.Teams.Select(t => t.Id).ToList();
        if (wardIds.Count == 0 && teamIds.Count == 0)
        {
            return null;
        }
        var spell = await db.Spells.AsNoTracking()
            .Where(Spell.Current).Where(s => s.PatientId == patientId && s.AdmittedAt <= nowUtc)
            .Where(s => wardIds.Contains(s.WardId) || (s.ResponsibleTeamId != null && teamIds.Contains(s.ResponsibleTeamId.Value)))
            .Select(s => new { s.WardId, WardName = s.Ward!.Name, s.ResponsibleTeamId, TeamName = s.ResponsibleTeam!.Name })
            .FirstOrDefaultAsync(cancel);
        if (spell is null)
        {
            return wardIds.Count == 0 ? null : await ExpectedOnWardAsync(wardIds, patientId, nowUtc, cancel);
        }
        return wardIds.Contains(spell.WardId)
            ? new LegitimateRelationship(RelationshipKind.WardPatient, spell.WardName)
            : new LegitimateRelationship(RelationshipKind.TeamPatient, spell.TeamName);
    }

    /// <summary>How far ahead a ward's staff may read the record of a patient it expects: enough to prepare for a planned admission.</summary>
    public static readonly TimeSpan ExpectedWithin = TimeSpan.FromHours(24);

    /// <summary>A patient expected on the staff's ward within <see cref="ExpectedWithin"/> (or overdue): the ward prepares for them.</summary>
    private async Task<LegitimateRelationship?> ExpectedOnWardAsync(List<int> wardIds, Guid patientId, DateTime nowUtc, CancellationToken cancel)
    {
        var soon = nowUtc + ExpectedWithin;
        var ward = await db.ExpectedAdmissions.AsNoTracking()
            .Where(e => e.PatientId == patientId && e.Status == Expected.ExpectedAdmissionStatus.Expected && wardIds.Contains(e.WardId) && e.ExpectedAt <= soon)
            .Select(e => e.Ward!.Name).FirstOrDefaultAsync(cancel);
        return ward is null ? null : new LegitimateRelationship(RelationshipKind.ExpectedOnWard, ward);
    }
}
