using Lantern.Server.Platform.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients;

internal static class InpatientsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Spell>(spell =>
        {
            spell.HasOne(s => s.Patient).WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
            spell.HasOne(s => s.Ward).WithMany().HasForeignKey(s => s.WardId).OnDelete(DeleteBehavior.Restrict);
            spell.HasOne(s => s.Bed).WithMany().HasForeignKey(s => s.BedId).OnDelete(DeleteBehavior.Restrict);
            spell.HasOne(s => s.ResponsibleTeam).WithMany().HasForeignKey(s => s.ResponsibleTeamId).OnDelete(DeleteBehavior.Restrict);
            spell.Property(s => s.AdmissionMethod).HasMaxLength(2);
            spell.Property(s => s.AdmissionSource).HasMaxLength(2);
            spell.Property(s => s.DischargeMethod).HasMaxLength(2);
            spell.Property(s => s.DischargeDestination).HasMaxLength(2);
            spell.Property(s => s.Version).IsConcurrencyToken();
            spell.HasMany(s => s.WardStays).WithOne().HasForeignKey(w => w.SpellId).OnDelete(DeleteBehavior.Cascade);
            spell.HasMany(s => s.Episodes).WithOne().HasForeignKey(e => e.SpellId).OnDelete(DeleteBehavior.Cascade);
            spell.HasMany(s => s.Events).WithOne().HasForeignKey(e => e.SpellId).OnDelete(DeleteBehavior.Cascade);
            // Legitimate-relationship checks and bed boards ask: who is on this ward / under this team now?
            spell.HasIndex(s => new { s.PatientId, s.DischargedAt });
            spell.HasIndex(s => new { s.WardId, s.DischargedAt });
            // One current spell per patient, enforced by the database too (two clerks admitting at once).
            spell.HasIndex(s => s.PatientId).IsUnique().HasFilter("\"DischargedAt\" IS NULL AND \"CancelledAt\" IS NULL")
                .HasDatabaseName("IX_Spells_OneCurrentPerPatient");
        });
        builder.Entity<Expected.ExpectedAdmission>(expected =>
        {
            expected.HasOne(e => e.Patient).WithMany().HasForeignKey(e => e.PatientId).OnDelete(DeleteBehavior.Restrict);
            expected.HasOne(e => e.Ward).WithMany().HasForeignKey(e => e.WardId).OnDelete(DeleteBehavior.Restrict);
            expected.HasOne(e => e.Team).WithMany().HasForeignKey(e => e.TeamId).OnDelete(DeleteBehavior.Restrict);
            expected.HasOne(e => e.Spell).WithMany().HasForeignKey(e => e.SpellId).OnDelete(DeleteBehavior.Restrict);
            expected.Property(e => e.AdmissionMethod).HasMaxLength(2);
            expected.Property(e => e.VisitNumber).HasMaxLength(64);
            expected.Property(e => e.Reason).HasMaxLength(Expected.ExpectedAdmission.ReasonLength);
            expected.Property(e => e.CancellationReason).HasMaxLength(500);
            expected.Property(e => e.RecordedBy).HasMaxLength(64);
            expected.Property(e => e.Version).IsConcurrencyToken();
            // The ward's list (who is coming, soonest first), an admission's look-up of the patient's, and undoing one.
            expected.HasIndex(e => new { e.WardId, e.Status, e.ExpectedAt });
            expected.HasIndex(e => new { e.PatientId, e.Status });
            expected.HasIndex(e => e.SpellId);
        });
        builder.Entity<WardStay>(stay =>
        {
            stay.HasOne(s => s.Ward).WithMany().HasForeignKey(s => s.WardId).OnDelete(DeleteBehavior.Restrict);
            stay.HasOne(s => s.Bed).WithMany().HasForeignKey(s => s.BedId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<ConsultantEpisode>(episode =>
            episode.HasOne(e => e.Team).WithMany().HasForeignKey(e => e.TeamId).OnDelete(DeleteBehavior.Restrict));
        builder.Entity<SpellEvent>(e => e.Property(x => x.RecordedBy).HasMaxLength(64));
        builder.Entity<OutboxMessage>(message =>
        {
            message.ToTable("Outbox");
            message.Property(m => m.EventType).HasMaxLength(8);
            message.Property(m => m.RecordedBy).HasMaxLength(64);
            message.HasIndex(m => m.DispatchedAt);
        });
    }
}
