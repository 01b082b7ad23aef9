using Lantern.Server.Organisation;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients;

/// <summary>One bed with whoever is in it now.</summary>
public sealed record BedOnBoard(Bed Bed, string? Bay, SexOfBay? BaySex, BoardPatient? Patient);

/// <summary>The banner summary of a patient on the ward, with how long they have been here and who they are under.</summary>
public sealed record BoardPatient(int SpellId, Guid PatientId, string FamilyName, string GivenName, DateOnly BirthDate, Patients.Gender Gender,
    string? NhsNumber, bool IsSensitive, DateTime OnWardSince, DateOnly? ExpectedDischargeDate, int? TeamId, string? Team);

/// <summary>A patient expected on the ward (not yet admitted), soonest first.</summary>
public sealed record ExpectedPatient(int ExpectedAdmissionId, Guid PatientId, string FamilyName, string GivenName, DateOnly BirthDate, Patients.Gender Gender,
    string? NhsNumber, bool IsSensitive, DateTime ExpectedAt, string AdmissionMethod, int? TeamId, string? Team, string? Reason);

/// <summary>
/// A ward's beds in bay order with the patient in each, the patients on the ward without a bed, and those expected:
/// what the bed board page and the API show. Four indexed queries whatever the size of the hospital.
/// </summary>
public sealed record WardBoard(Ward Ward, IReadOnlyList<BedOnBoard> Beds, IReadOnlyList<BoardPatient> WithoutBed, IReadOnlyList<ClinicalTeam> Teams,
    IReadOnlyList<ExpectedPatient> Expected)
{
    /// <summary>The audit entry for showing this board: one read of the ward's list, naming how many patients it showed.</summary>
    public Audit.AuditEvent Viewed(string how = "") =>
        new(Audit.AuditAction.Read, "BedBoard", Ward.Code, Reason: $"{Beds.Count(b => b.Patient is not null) + WithoutBed.Count} patient(s) listed, {Expected.Count} expected{how}");

    public static async Task<WardBoard?> LoadAsync(LanternDb db, string wardCode, CancellationToken cancel)
    {
        var ward = await db.Wards.AsNoTracking().Include(w => w.Bays).Include(w => w.Beds).AsSplitQuery().FirstOrDefaultAsync(w => w.Code == wardCode, cancel);
        if (ward is null)
        {
            return null;
        }
        var patients = await db.Spells.AsNoTracking().Where(Spell.Current).Where(s => s.WardId == ward.Id)
            .Select(s => new
            {
                s.BedId,
                Patient = new BoardPatient(s.Id, s.PatientId, s.Patient!.FamilyName, s.Patient.GivenName, s.Patient.BirthDate, s.Patient.Gender,
                    s.Patient.NhsNumber, s.Patient.IsSensitive, s.WardStays.Where(w => w.EndedAt == null).Select(w => w.StartedAt).FirstOrDefault(),
                    s.ExpectedDischargeDate, s.ResponsibleTeamId, s.ResponsibleTeam!.Name),
            })
            .ToListAsync(cancel);
        var expected = await db.ExpectedAdmissions.AsNoTracking()
            .Where(e => e.WardId == ward.Id && e.Status == Inpatients.Expected.ExpectedAdmissionStatus.Expected).OrderBy(e => e.ExpectedAt).ThenBy(e => e.Id)
            .Select(e => new ExpectedPatient(e.Id, e.PatientId, e.Patient!.FamilyName, e.Patient.GivenName, e.Patient.BirthDate, e.Patient.Gender,
                e.Patient.NhsNumber, e.Patient.IsSensitive, e.ExpectedAt, e.AdmissionMethod, e.TeamId, e.Team == null ? null : e.Team.Name, e.Reason))
            .ToListAsync(cancel);
        var teamIds = patients.Select(p => p.Patient.TeamId).Distinct().ToList();
        var teams = await db.ClinicalTeams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).OrderBy(t => t.Name).ToListAsync(cancel);
        var byBed = patients.Where(p => p.BedId is not null).ToDictionary(p => p.BedId!.Value, p => p.Patient);
        var bays = ward.Bays.ToDictionary(b => b.Id);
        var beds = ward.Beds
            .OrderBy(b => b.BayId is null).ThenBy(b => b.BayId is { } bay ? bays[bay].Name : "", StringComparer.Ordinal)
            .ThenBy(b => b.Label.Length).ThenBy(b => b.Label, StringComparer.Ordinal)
            .Select(b => new BedOnBoard(b, b.BayId is { } bay ? bays[bay].Name : null, b.BayId is { } bayId ? bays[bayId].Sex : null, byBed.GetValueOrDefault(b.Id)))
            .ToList();
        return new(ward, beds, [.. patients.Where(p => p.BedId is null).Select(p => p.Patient)], teams, expected);
    }
}
