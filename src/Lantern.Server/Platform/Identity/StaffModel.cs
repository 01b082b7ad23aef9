using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Platform.Identity;

/// <summary>Storage mapping for staff accounts beyond what Identity maps itself.</summary>
internal static class StaffModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<StaffUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.JobTitle).HasMaxLength(100);
            user.HasMany(u => u.Wards).WithMany().UsingEntity("StaffWards");
            user.HasMany(u => u.Teams).WithMany().UsingEntity("StaffTeams");
        });

        // The roles are part of the schema, present in every database (demo or not) once migrated.
        builder.Entity<IdentityRole>().HasData(StaffRole.All.Select(role => new IdentityRole
        {
            Id = role.Name,
            Name = role.Name,
            NormalizedName = role.Name.ToUpperInvariant(),
            ConcurrencyStamp = role.Name,
        }));
    }
}
