using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.Relationships;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients;

/// <summary>An inpatient is in the care of the staff of their current ward and of their responsible team.</summary>
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
            return null;
        }
        return wardIds.Contains(spell.WardId)
            ? new LegitimateRelationship(RelationshipKind.WardPatient, spell.WardName)
            : new LegitimateRelationship(RelationshipKind.TeamPatient, spell.TeamName);
    }
}
