using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients;

internal static class PatientModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Patient>(patient =>
        {
            patient.Property(p => p.NhsNumber).HasMaxLength(10);
            patient.Property(p => p.Mrn).HasMaxLength(20);
            patient.Property(p => p.FamilyName).HasMaxLength(100);
            patient.Property(p => p.GivenName).HasMaxLength(100);
            patient.Property(p => p.Title).HasMaxLength(35);
            patient.HasIndex(p => p.NhsNumber);
            patient.HasIndex(p => p.Mrn).IsUnique();
            patient.HasIndex(p => new { p.FamilyName, p.GivenName });
        });
    }
}
