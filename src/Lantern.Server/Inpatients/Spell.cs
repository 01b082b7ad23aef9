using Lantern.Server.Organisation;
using Lantern.Server.Patients;

namespace Lantern.Server.Inpatients;

/// <summary>
/// A hospital provider spell: one continuous inpatient stay, from admission to discharge, with the
/// patient's current ward and bed and the consultant team responsible for their care.
/// </summary>
public sealed class Spell
{
    public int Id { get; private set; }
    public Guid PatientId { get; private set; }
    public Patient? Patient { get; private set; }
    public int WardId { get; private set; }
    public Ward? Ward { get; private set; }
    public int? BedId { get; private set; }
    public Bed? Bed { get; private set; }
    public int? ResponsibleTeamId { get; private set; }
    public ClinicalTeam? ResponsibleTeam { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime AdmittedAt { get; private set; }

    /// <summary>UTC; null while the patient is in hospital.</summary>
    public DateTime? DischargedAt { get; private set; }

    public Spell(Guid patientId, int wardId, int? bedId, int? responsibleTeamId, DateTime admittedAt)
    {
        PatientId = patientId;
        WardId = wardId;
        BedId = bedId;
        ResponsibleTeamId = responsibleTeamId;
        AdmittedAt = admittedAt;
    }

    /// <summary>Ends the spell (the inpatients module's discharge command builds on this).</summary>
    public void Discharge(DateTime dischargedAt)
    {
        if (DischargedAt is not null || dischargedAt < AdmittedAt)
        {
            throw new InvalidOperationException("A spell is discharged once, at or after admission");
        }
        DischargedAt = dischargedAt;
    }
}
