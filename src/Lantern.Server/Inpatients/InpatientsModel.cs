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
            // Legitimate-relationship checks ask: is this patient currently on one of my wards / under my team?
            spell.HasIndex(s => new { s.PatientId, s.DischargedAt });
            spell.HasIndex(s => new { s.WardId, s.DischargedAt });
        });
    }
}
