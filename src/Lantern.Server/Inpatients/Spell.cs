using System.Linq.Expressions;
using Lantern.Server.Organisation;
using Lantern.Server.Patients;

namespace Lantern.Server.Inpatients;

/// <summary>
/// A Hospital Provider Spell: one continuous inpatient stay, from admission to discharge. Within it, consultant
/// episodes (time under each consultant team) and ward stays (time in each bed) follow one another without
/// gaps. <see cref="WardId"/>, <see cref="BedId"/> and <see cref="ResponsibleTeamId"/> are where the patient
/// is now, kept in step with the open stay and episode so that bed boards and relationship checks read one row.
/// Every change is a <see cref="SpellEvent"/>, so the last one can be undone exactly.
/// </summary>
public sealed class Spell
{
    public int Id { get; private set; }
    public Guid PatientId { get; private set; }
    public Patient? Patient { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime AdmittedAt { get; private set; }

    /// <summary>CDS admission method code (e.g. 21 emergency via A&amp;E, 11 waiting list).</summary>
    public string AdmissionMethod { get; private set; } = "";

    /// <summary>CDS admission source code (e.g. 19 usual place of residence).</summary>
    public string AdmissionSource { get; private set; } = "";

    public DateOnly? ExpectedDischargeDate { get; private set; }

    /// <summary>UTC; null while the patient is in hospital.</summary>
    public DateTime? DischargedAt { get; private set; }

    public string? DischargeMethod { get; private set; }
    public string? DischargeDestination { get; private set; }

    /// <summary>Set when the admission was cancelled as entered in error: the spell then never happened.</summary>
    public DateTime? CancelledAt { get; private set; }

    public int WardId { get; private set; }
    public Ward? Ward { get; private set; }
    public int? BedId { get; private set; }
    public Bed? Bed { get; private set; }
    public int? ResponsibleTeamId { get; private set; }
    public ClinicalTeam? ResponsibleTeam { get; private set; }

    public List<WardStay> WardStays { get; private set; } = [];
    public List<ConsultantEpisode> Episodes { get; private set; } = [];
    public List<SpellEvent> Events { get; private set; } = [];

    /// <summary>Optimistic concurrency: two clerks moving one patient at once cannot both succeed.</summary>
    public int Version { get; private set; }

    /// <summary>Spells of patients in hospital now: not discharged, not cancelled.</summary>
    public static Expression<Func<Spell, bool>> Current { get; } = s => s.DischargedAt == null && s.CancelledAt == null;

    public bool IsCurrent => DischargedAt is null && CancelledAt is null;

    private Spell()
    {
    }

    /// <summary>The demo seed's and tests' short form: an admission already in place.</summary>
    public Spell(Guid patientId, int wardId, int? bedId, int? responsibleTeamId, DateTime admittedAt)
    {
        PatientId = patientId;
        WardId = wardId;
        BedId = bedId;
        ResponsibleTeamId = responsibleTeamId;
        AdmittedAt = admittedAt;
        AdmissionMethod = "21";
        AdmissionSource = "19";
        WardStays.Add(new WardStay(wardId, bedId, admittedAt));
        if (responsibleTeamId is { } team)
        {
            Episodes.Add(new ConsultantEpisode(team, admittedAt));
        }
    }

    public static Spell Admit(Guid patientId, Ward ward, Bed? bed, ClinicalTeam team, DateTime at, string method, string source,
        DateOnly? expectedDischarge, SpellEvent recorded)
    {
        var spell = new Spell(patientId, ward.Id, bed?.Id, team.Id, at)
        {
            AdmissionMethod = method,
            AdmissionSource = source,
            ExpectedDischargeDate = expectedDischarge,
        };
        spell.Events.Add(recorded);
        return spell;
    }

    public WardStay CurrentStay => WardStays.Single(s => s.EndedAt is null);

    public ConsultantEpisode? CurrentEpisode => Episodes.SingleOrDefault(e => e.EndedAt is null);

    /// <summary>The time of the latest change still in force: a new change may not be dated before it.</summary>
    public DateTime LatestChangeAt => Events.Where(e => e.UndoneAt is null).Select(e => e.At).DefaultIfEmpty(AdmittedAt).Max();

    /// <summary>The ward's current estimate of the discharge date (reviewed daily); null when not yet set.</summary>
    public void ExpectDischarge(DateOnly? date) => ExpectedDischargeDate = date;

    public void Transfer(int wardId, int? bedId, DateTime at, SpellEvent recorded)
    {
        CurrentStay.End(at);
        WardStays.Add(new WardStay(wardId, bedId, at));
        (WardId, BedId) = (wardId, bedId);
        Events.Add(recorded);
        Version++;
    }

    public void ChangeConsultant(int teamId, DateTime at, SpellEvent recorded)
    {
        CurrentEpisode?.End(at);
        Episodes.Add(new ConsultantEpisode(teamId, at));
        ResponsibleTeamId = teamId;
        Events.Add(recorded);
        Version++;
    }

    public void Discharge(DateTime at, string method, string destination, SpellEvent recorded)
    {
        CurrentStay.End(at);
        CurrentEpisode?.End(at);
        (DischargedAt, DischargeMethod, DischargeDestination) = (at, method, destination);
        Events.Add(recorded);
        Version++;
    }

    /// <summary>Ends the spell with no codes (tests and history only; the ADT command is <see cref="Discharge(DateTime, string, string, SpellEvent)"/>).</summary>
    public void Discharge(DateTime dischargedAt)
    {
        if (!IsCurrent || dischargedAt < AdmittedAt)
        {
            throw new InvalidOperationException("A spell is discharged once, at or after admission");
        }
        WardStays.SingleOrDefault(s => s.EndedAt is null)?.End(dischargedAt);
        CurrentEpisode?.End(dischargedAt);
        DischargedAt = dischargedAt;
    }

    /// <summary>The last change still in force, which <see cref="UndoLast"/> would take back.</summary>
    public SpellEvent? LastChange => Events.Where(e => e.UndoneAt is null).OrderBy(e => e.Sequence).LastOrDefault();

    /// <summary>
    /// Takes back the last change as if it had not happened: the stay or episode it opened goes, the one it
    /// closed reopens, and the spell's current ward, bed and team are as before. Beds are the caller's job.
    /// </summary>
    public void UndoLast(DateTime at, string by)
    {
        var last = LastChange ?? throw new InvalidOperationException("Nothing to undo");
        switch (last.Kind)
        {
            case SpellEventKind.Admitted:
                CancelledAt = at;
                break;
            case SpellEventKind.Transferred:
                WardStays.Remove(CurrentStay);
                var previous = WardStays.OrderBy(s => s.StartedAt).Last();
                previous.Reopen();
                (WardId, BedId) = (previous.WardId, previous.BedId);
                break;
            case SpellEventKind.ConsultantChanged:
                Episodes.Remove(CurrentEpisode!);
                var earlier = Episodes.OrderBy(e => e.StartedAt).Last();
                earlier.Reopen();
                ResponsibleTeamId = earlier.TeamId;
                break;
            case SpellEventKind.Discharged:
                WardStays.OrderBy(s => s.StartedAt).Last().Reopen();
                Episodes.OrderBy(e => e.StartedAt).LastOrDefault()?.Reopen();
                (DischargedAt, DischargeMethod, DischargeDestination) = (null, null, null);
                break;
        }
        last.Undo(at, by);
        Version++;
    }

    /// <summary>Length of stay in days (midnights passed), to discharge or to <paramref name="now"/>.</summary>
    public int LengthOfStayDays(DateTime now) =>
        (DateOnly.FromDateTime(Platform.UkTime.ToLondon(DischargedAt ?? now)).DayNumber - DateOnly.FromDateTime(Platform.UkTime.ToLondon(AdmittedAt)).DayNumber);
}
