using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security.Relationships;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Security.BreakGlass;

/// <summary>An unexpired break-glass access counts as a (reviewed-later) relationship.</summary>
public sealed class BreakGlassRelationships(LanternDb db) : ILegitimateRelationshipSource
{
    public async Task<LegitimateRelationship?> FindAsync(StaffUser staff, Guid patientId, DateTime nowUtc, CancellationToken cancel)
    {
        var access = await db.BreakGlassAccesses.AsNoTracking()
            .Where(b => b.PatientId == patientId && b.UserName == staff.UserName && b.GrantedAt <= nowUtc && b.ExpiresAt > nowUtc)
            .OrderByDescending(b => b.ExpiresAt).FirstOrDefaultAsync(cancel);
        return access is null ? null : new LegitimateRelationship(RelationshipKind.BreakGlass, access.AuditReason);
    }
}
