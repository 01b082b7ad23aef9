using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Fhir.Store;

public static class FhirStoreModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<StoredResource>(r =>
        {
            r.ToTable("FhirResources");
            r.Property(x => x.ResourceType).HasMaxLength(64);
            r.Property(x => x.LogicalId).HasMaxLength(64);
            r.HasIndex(x => new { x.ResourceType, x.LogicalId }).IsUnique();
            r.HasIndex(x => new { x.PatientId, x.ResourceType });
            r.HasMany(x => x.Tokens).WithOne().HasForeignKey(t => t.ResourceId).OnDelete(DeleteBehavior.Cascade);
            r.HasMany(x => x.Dates).WithOne().HasForeignKey(d => d.ResourceId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<StoredResourceVersion>(v =>
        {
            v.ToTable("FhirResourceHistory");
            v.Property(x => x.ResourceType).HasMaxLength(64);
            v.Property(x => x.LogicalId).HasMaxLength(64);
            v.Property(x => x.Method).HasMaxLength(8);
            v.HasIndex(x => new { x.ResourceType, x.LogicalId, x.VersionId }).IsUnique();
        });
        builder.Entity<SearchToken>(t =>
        {
            t.ToTable("FhirSearchTokens");
            t.Property(x => x.Param).HasMaxLength(32);
            t.Property(x => x.System).HasMaxLength(256);
            t.Property(x => x.Code).HasMaxLength(128);
            t.HasIndex(x => new { x.Param, x.Code, x.ResourceId });
        });
        builder.Entity<SearchDate>(d =>
        {
            d.ToTable("FhirSearchDates");
            d.Property(x => x.Param).HasMaxLength(32);
            d.HasIndex(x => new { x.Param, x.Start, x.ResourceId });
        });
    }
}
