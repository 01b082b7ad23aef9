using Lantern.Server.Security.BreakGlass;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Security;

internal static class SecurityModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<BreakGlassAccess>(access =>
        {
            access.Property(b => b.UserName).HasMaxLength(64);
            access.Property(b => b.Role).HasMaxLength(32);
            access.Property(b => b.Explanation).HasMaxLength(AuditReasonLength);
            access.Property(b => b.ReviewedBy).HasMaxLength(64);
            access.Property(b => b.ReviewNote).HasMaxLength(1000);
            access.HasOne<Patients.Patient>().WithMany().HasForeignKey(b => b.PatientId).OnDelete(DeleteBehavior.Restrict);
            access.HasIndex(b => new { b.PatientId, b.UserName, b.ExpiresAt });
            access.HasIndex(b => b.ReviewedAt); // the review queue: not yet reviewed
        });
    }

    /// <summary>The explanation must fit the audit entry's reason with the reason code in front.</summary>
    public const int AuditReasonLength = 400;
}
