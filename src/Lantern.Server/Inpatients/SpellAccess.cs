using Lantern.Server.Patients;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients;

public static class SpellAccess
{
    /// <summary>
    /// The patient of an admission, when this member of staff may see their demographics (checked and audited by
    /// <see cref="PatientAccess"/>); null for no such admission, a sealed record, or a merged-away registration.
    /// Admission details are part of the administrative record, so demographics access is enough to see them.
    /// </summary>
    public static async Task<Patient?> OpenSpellPatientAsync(this PatientAccess access, LanternDb db, int spellId, CancellationToken cancel)
    {
        var patientId = await db.Spells.Where(s => s.Id == spellId).Select(s => (Guid?)s.PatientId).FirstOrDefaultAsync(cancel);
        var decision = patientId is null ? null : await access.OpenDemographicsAsync(patientId.Value, cancel);
        return decision?.Level == PatientAccessLevel.DemographicsOnly ? decision.Patient : null;
    }
}
