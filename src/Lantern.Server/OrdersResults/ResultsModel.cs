using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.OrdersResults;

internal static class ResultsModel
{
    public static void Configure(ModelBuilder builder) =>
        builder.Entity<ResultObservation>(result =>
        {
            result.HasOne(r => r.Patient).WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.Restrict);
            foreach (var text in new[] { nameof(ResultObservation.OrderNumber), nameof(ResultObservation.TestCode), nameof(ResultObservation.ObservationCode),
                nameof(ResultObservation.CodingSystem), nameof(ResultObservation.SubId) })
            {
                result.Property(text).HasMaxLength(100);
            }
            result.Property(r => r.TestName).HasMaxLength(200);
            result.Property(r => r.ObservationName).HasMaxLength(200);
            result.Property(r => r.ValueType).HasMaxLength(3);
            result.Property(r => r.Units).HasMaxLength(60);
            result.Property(r => r.ReferenceRange).HasMaxLength(60);
            result.Property(r => r.AbnormalFlag).HasMaxLength(5);
            result.Property(r => r.Status).HasMaxLength(1);
            // A patient's results, newest first; and the one row per order and observation a correction replaces.
            result.HasIndex(r => new { r.PatientId, r.ObservedAt });
            result.HasIndex(r => new { r.PatientId, r.OrderNumber, r.ObservationCode, r.SubId }).IsUnique();
        });
}
