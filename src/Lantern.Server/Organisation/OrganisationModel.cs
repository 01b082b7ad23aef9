using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Organisation;

/// <summary>Storage mapping for the trust's structure: sites, specialties, wards, beds, consultants, teams, clinics.</summary>
internal static class OrganisationModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Site>(site =>
        {
            site.Property(s => s.OdsCode).HasMaxLength(10);
            site.Property(s => s.Name).HasMaxLength(200);
            site.HasIndex(s => s.OdsCode).IsUnique();
            site.HasMany(s => s.Wards).WithOne(w => w.Site).HasForeignKey(w => w.SiteId);
        });

        builder.Entity<Specialty>(specialty =>
        {
            specialty.HasKey(s => s.Code);
            specialty.Property(s => s.Code).HasMaxLength(10);
            specialty.Property(s => s.Name).HasMaxLength(200);
        });

        builder.Entity<Ward>(ward =>
        {
            ward.Property(w => w.Code).HasMaxLength(20);
            ward.Property(w => w.Name).HasMaxLength(200);
            ward.HasIndex(w => w.Code).IsUnique();
            ward.HasOne(w => w.Specialty).WithMany().HasForeignKey(w => w.SpecialtyCode);
            ward.HasMany(w => w.Bays).WithOne().HasForeignKey(b => b.WardId);
            ward.HasMany(w => w.Beds).WithOne().HasForeignKey(b => b.WardId);
        });

        builder.Entity<Bay>(bay =>
        {
            bay.Property(b => b.Name).HasMaxLength(50);
            bay.HasIndex(b => new { b.WardId, b.Name }).IsUnique();
        });

        builder.Entity<Bed>(bed =>
        {
            bed.Property(b => b.Label).HasMaxLength(50);
            bed.HasIndex(b => new { b.WardId, b.Label }).IsUnique();
            // Two admissions racing for one bed: the second update finds the status changed and fails.
            bed.Property(b => b.Status).IsConcurrencyToken();
            bed.HasOne(b => b.Bay).WithMany().HasForeignKey(b => b.BayId);
        });

        builder.Entity<Consultant>(consultant =>
        {
            consultant.Property(c => c.GmcNumber).HasMaxLength(7);
            consultant.Property(c => c.Title).HasMaxLength(20);
            consultant.Property(c => c.GivenName).HasMaxLength(100);
            consultant.Property(c => c.FamilyName).HasMaxLength(100);
            consultant.HasIndex(c => c.GmcNumber).IsUnique();
            consultant.HasOne(c => c.Specialty).WithMany().HasForeignKey(c => c.SpecialtyCode);
            consultant.Ignore(c => c.DisplayName);
        });

        builder.Entity<ClinicalTeam>(team =>
        {
            team.Property(t => t.Name).HasMaxLength(200);
            team.HasIndex(t => t.Name).IsUnique();
            team.HasOne(t => t.Specialty).WithMany().HasForeignKey(t => t.SpecialtyCode);
            team.HasOne(t => t.LeadConsultant).WithMany().HasForeignKey(t => t.LeadConsultantId);
        });

        builder.Entity<Clinic>(clinic =>
        {
            clinic.Property(c => c.Code).HasMaxLength(20);
            clinic.Property(c => c.Name).HasMaxLength(200);
            clinic.Property(c => c.Location).HasMaxLength(200);
            clinic.HasIndex(c => c.Code).IsUnique();
            clinic.HasOne(c => c.Specialty).WithMany().HasForeignKey(c => c.SpecialtyCode);
            clinic.HasOne(c => c.Consultant).WithMany().HasForeignKey(c => c.ConsultantId);
            clinic.HasOne(c => c.Site).WithMany().HasForeignKey(c => c.SiteId);
        });
    }
}
