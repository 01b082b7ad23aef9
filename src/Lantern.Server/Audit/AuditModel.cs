using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit;

/// <summary>Storage for the audit trail: one narrow row per event, indexed for the IG officer's three questions.</summary>
internal static class AuditModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("AuditTrail");
            entry.HasKey(e => e.Sequence);
            entry.Property(e => e.Sequence).ValueGeneratedNever();
            entry.Property(e => e.UserName).HasMaxLength(64);
            entry.Property(e => e.Role).HasMaxLength(32);
            entry.Property(e => e.RecordType).HasMaxLength(32);
            entry.Property(e => e.RecordId).HasMaxLength(64);
            entry.Property(e => e.ClientAddress).HasMaxLength(45);
            entry.Property(e => e.UserAgent).HasMaxLength(AuditEntry.UserAgentLength);
            entry.Property(e => e.Reason).HasMaxLength(AuditEntry.ReasonLength);
            entry.Property(e => e.Hash).HasMaxLength(32);
            entry.Ignore(e => e.At);
            // Who accessed this patient? What did this user do? What happened on this day?
            entry.HasIndex(e => e.PatientId);
            entry.HasIndex(e => e.UserName);
            entry.HasIndex(e => e.AtUnixMs);
        });
    }
}
