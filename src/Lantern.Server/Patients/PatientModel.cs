using Lantern.Server.Patients.Merging;
using Lantern.Server.Patients.Registration;
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
            patient.Property(p => p.OtherGivenNames).HasMaxLength(100);
            patient.Property(p => p.Title).HasMaxLength(35);
            patient.Property(p => p.AddressLine1).HasMaxLength(100);
            patient.Property(p => p.AddressLine2).HasMaxLength(100);
            patient.Property(p => p.Town).HasMaxLength(60);
            patient.Property(p => p.Postcode).HasMaxLength(8);
            patient.Property(p => p.Phone).HasMaxLength(20);
            patient.Property(p => p.Email).HasMaxLength(254);
            patient.Property(p => p.GpPracticeCode).HasMaxLength(10);
            patient.Property(p => p.NextOfKinName).HasMaxLength(100);
            patient.Property(p => p.NextOfKinRelationship).HasMaxLength(50);
            patient.Property(p => p.NextOfKinPhone).HasMaxLength(20);
            patient.Property(p => p.EthnicCategory).HasMaxLength(2);
            patient.Property(p => p.PreferredLanguage).HasMaxLength(50);
            patient.Property(p => p.FamilyNameKey).HasMaxLength(100);
            patient.Property(p => p.FamilyNameSound).HasMaxLength(4);
            patient.Property(p => p.GivenNameKey).HasMaxLength(100);
            patient.Property(p => p.Version).IsConcurrencyToken();
            patient.OwnsMany(p => p.PreviousNames, names =>
            {
                names.ToTable("PatientPreviousNames");
                names.WithOwner().HasForeignKey("PatientId");
                names.Property<int>("Id");
                names.HasKey("Id");
                names.Property(n => n.FamilyName).HasMaxLength(100);
                names.Property(n => n.GivenName).HasMaxLength(100);
                names.Property(n => n.FamilyNameKey).HasMaxLength(100);
                names.Property(n => n.FamilyNameSound).HasMaxLength(4);
                names.HasIndex(n => n.FamilyNameKey);
                names.HasIndex(n => n.FamilyNameSound);
            });

            // The search paths (see PatientSearch): each criterion a clerk may lead with has an index whose
            // order is also the result order, so a page of results is read without sorting the matches.
            patient.HasIndex(p => p.NhsNumber).IsUnique();
            patient.HasIndex(p => p.Mrn).IsUnique();
            patient.HasIndex(p => new { p.FamilyNameKey, p.GivenNameKey, p.BirthDate });
            patient.HasIndex(p => new { p.FamilyNameSound, p.FamilyNameKey, p.GivenNameKey, p.BirthDate });
            patient.HasIndex(p => new { p.BirthDate, p.FamilyNameKey });
            patient.HasIndex(p => new { p.Postcode, p.FamilyNameKey });
            patient.HasIndex(p => new { p.GivenNameKey, p.FamilyNameKey });
            patient.HasIndex(p => p.MergedIntoId);
        });

        builder.Entity<HospitalNumberCounter>(counter =>
        {
            counter.ToTable("HospitalNumberCounters");
            counter.Property(c => c.Id).ValueGeneratedNever();
            counter.HasData(new { Id = 1, Next = HospitalNumberCounter.FirstIssued });
        });

        builder.Entity<PatientMerge>(merge =>
        {
            merge.Property(m => m.Reason).HasMaxLength(500);
            merge.Property(m => m.UnmergeReason).HasMaxLength(500);
            merge.Property(m => m.MergedBy).HasMaxLength(64);
            merge.Property(m => m.UnmergedBy).HasMaxLength(64);
            merge.HasIndex(m => m.SurvivorId);
            merge.HasIndex(m => m.RetiredId);
            merge.HasMany(m => m.Moves).WithOne().HasForeignKey(m => m.MergeId);
        });
        builder.Entity<PatientMergeMove>(move =>
        {
            move.Property(m => m.RecordType).HasMaxLength(64);
            move.Property(m => m.RecordKey).HasMaxLength(64);
        });
    }
}
