using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Lantern.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Tests.Inpatients;

/// <summary>Demo-trust lookups the inpatient tests share.</summary>
internal static class InpatientTestData
{
    public const string Cardiology = "Cardiology - Dr Bennett";
    public const string Elderly = "Geriatric Medicine - Dr Holloway";

    /// <summary>A registered patient of the given gender who has never been admitted (and is alive, unsealed, not merged).</summary>
    public static Task<Patient> OutpatientAsync(LanternApp app, Gender gender) => app.WithDbAsync(db => db.Patients.AsNoTracking()
        .Where(p => p.Gender == gender && p.MergedIntoId == null && p.DateOfDeath == null && !p.IsSensitive && !db.Spells.Any(s => s.PatientId == p.Id))
        .OrderBy(p => p.Mrn).FirstAsync());

    public static Task<int> TeamAsync(LanternApp app, string name) => app.WithDbAsync(db => db.ClinicalTeams.Where(t => t.Name == name).Select(t => t.Id).FirstAsync());

    public static Task<BedStatus> BedAsync(LanternApp app, string ward, string bed) => app.WithDbAsync(db =>
        db.Beds.Where(b => b.Label == bed && db.Wards.Any(w => w.Id == b.WardId && w.Code == ward)).Select(b => b.Status).FirstAsync());
}
