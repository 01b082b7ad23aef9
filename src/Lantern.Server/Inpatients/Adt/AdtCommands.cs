using System.Text.Json;
using Lantern.Server.Audit;
using Lantern.Server.Inpatients.Expected;
using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Messaging;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Adt;

/// <summary>What an ADT command did: the spell, or field problems (400), or a clash with another change (409), or no such spell (404).</summary>
public sealed record AdtResult(Spell? Spell, IReadOnlyList<FieldError> Errors, bool Conflict = false, bool NotFound = false)
{
    public static AdtResult Invalid(params FieldError[] errors) => new(null, errors);
}

/// <summary>
/// Admit, transfer, change consultant, discharge, and undo the last of these. Each command checks the whole
/// state first (bed free, patient in hospital, times in order) and changes nothing when it refuses; when it
/// succeeds, the spell, the beds, the outbound message and the audit entry are saved in one transaction.
/// </summary>
public sealed class AdtCommands(LanternDb db, AuditTrail audit, CurrentStaff staff, TimeProvider clock, WardChanges boards)
{
    /// <summary>Clock skew allowed for a time entered "now" on a ward PC.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public async Task<AdtResult> AdmitAsync(AdmitRequest r, CancellationToken cancel = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var at = r.At?.UtcDateTime ?? now;
        var errors = new List<FieldError>();
        // Found by key: no query when the caller has the patient already (an HL7 A01 has just recorded them).
        var patient = await db.Patients.FindAsync([r.PatientId], cancel) is { MergedIntoId: null } found ? found : null;
        if (patient is null)
        {
            errors.Add(new(nameof(r.PatientId), "No such patient: register them first"));
        }
        else if (await InHospital.RunAsync(db, r.PatientId, cancel))
        {
            errors.Add(new(nameof(r.PatientId), "This patient is already in hospital: transfer them instead"));
        }
        Code(r.AdmissionMethod, AdtCodes.AdmissionMethods, nameof(r.AdmissionMethod), "admission method", errors);
        Code(r.AdmissionSource, AdtCodes.AdmissionSources, nameof(r.AdmissionSource), "admission source", errors);
        var team = await TeamAsync(r.TeamId, errors, cancel);
        var (ward, bed) = await PlaceAsync(r.WardCode, r.BedLabel, patient, r.MixedSexJustified, null, errors, cancel);
        When(at, now, patient is null ? null : UkMidnight(patient.BirthDate), "the patient's date of birth", errors);
        if (r.ExpectedDischargeDate is { } expectedDischarge && expectedDischarge < DateOnly.FromDateTime(at))
        {
            errors.Add(new(nameof(r.ExpectedDischargeDate), "Expected discharge date must be on or after the admission"));
        }
        var expected = patient is null ? null : await ExpectedAdmissionAsync(r, at, errors, cancel);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var recorded = new SpellEvent(1, SpellEventKind.Admitted, at, now, staff.UserName ?? "system", null, bed);
        bed?.Occupy();
        var spell = Spell.Admit(patient!.Id, ward!, bed, team!, at, r.AdmissionMethod!, r.AdmissionSource!, r.ExpectedDischargeDate, recorded);
        db.Spells.Add(spell);
        expected?.Fulfil(spell);
        // The ward the patient was expected on (its list loses them) is told as if they had come from there.
        return await SaveAsync(spell, patient, expected?.WardId, "A01", at, AuditAction.Create,
            $"Admitted to {Where(ward!, bed)} under {team!.Name} (method {r.AdmissionMethod}, source {r.AdmissionSource})"
            + (expected is null ? "" : $"; expected admission {expected.Id} fulfilled"), r.MixedSexJustified, cancel);
    }

    /// <summary>The expected admission this admission fulfils (see <see cref="AdmitRequest"/>), if any; one query, usually of no rows.</summary>
    private async Task<ExpectedAdmission?> ExpectedAdmissionAsync(AdmitRequest r, DateTime at, List<FieldError> errors, CancellationToken cancel)
    {
        var open = new List<ExpectedAdmission>();
        await foreach (var e in OpenExpected.For(db)(db, r.PatientId).WithCancellation(cancel))
        {
            open.Add(e);
        }
        if (r.ExpectedAdmissionId is { } id)
        {
            var named = open.Find(e => e.Id == id);
            if (named is null)
            {
                errors.Add(new(nameof(r.ExpectedAdmissionId), "That expected admission is no longer open for this patient: check the ward's list"));
            }
            return named;
        }
        var visit = string.IsNullOrWhiteSpace(r.VisitNumber) ? null : r.VisitNumber.Trim();
        var endOfDay = UkMidnight(DateOnly.FromDateTime(Platform.UkTime.ToLondon(new DateTimeOffset(at, TimeSpan.Zero))).AddDays(1));
        return open.Find(e => visit is not null && e.VisitNumber == visit)
            ?? open.Where(e => e.ExpectedAt < endOfDay).OrderBy(e => e.ExpectedAt).ThenBy(e => e.Id).FirstOrDefault();
    }

    public async Task<AdtResult> TransferAsync(int spellId, TransferRequest r, CancellationToken cancel = default) =>
        await CurrentSpellAsync(spellId, cancel) is { } found ? await TransferAsync(found, r, cancel) : await MissingAsync(spellId, "transfer", cancel);

    /// <summary>Moves the patient's current spell, for a feed that names the patient, not the spell (HL7 A02); null when they are not in hospital.</summary>
    public async Task<AdtResult?> TransferPatientAsync(Guid patientId, TransferRequest r, CancellationToken cancel = default) =>
        await CurrentSpellOfPatientAsync(patientId, cancel) is { } found ? await TransferAsync(found, r, cancel) : null;

    private async Task<AdtResult> TransferAsync((Spell Spell, Patient Patient) found, TransferRequest r, CancellationToken cancel)
    {
        var (spell, patient) = found;
        var now = clock.GetUtcNow().UtcDateTime;
        var at = r.At?.UtcDateTime ?? now;
        var errors = new List<FieldError>();
        var (ward, bed) = await PlaceAsync(r.WardCode, r.BedLabel, patient, r.MixedSexJustified, spell, errors, cancel);
        if (ward is not null && ward.Id == spell.WardId && bed?.Id == spell.BedId)
        {
            errors.Add(new(nameof(r.BedLabel), "The patient is already in that bed"));
        }
        When(at, now, spell.LatestChangeAt, "the last change to this admission", errors);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }
        var from = spell.Bed;
        var recorded = new SpellEvent(spell.Events.Count + 1, SpellEventKind.Transferred, at, now, staff.UserName ?? "system", from, bed);
        var fromWard = spell.WardId;
        from?.Vacate();
        bed?.Occupy();
        spell.Transfer(ward!.Id, bed?.Id, at, recorded);
        return await SaveAsync(spell, patient, fromWard, "A02", at, AuditAction.Update, $"Transferred to {Where(ward, bed)}", r.MixedSexJustified, cancel);
    }

    /// <summary>Revises the expected discharge date: not an ADT movement (undo does not touch it), sent on as an A08 update.</summary>
    public async Task<AdtResult> SetExpectedDischargeAsync(int spellId, ExpectedDischargeRequest r, CancellationToken cancel = default)
    {
        if (await CurrentSpellAsync(spellId, cancel) is not { } found)
        {
            return await MissingAsync(spellId, "set the expected discharge date of", cancel);
        }
        var (spell, patient) = found;
        if (r.ExpectedDischargeDate is { } date && date < DateOnly.FromDateTime(Platform.UkTime.ToLondon(new DateTimeOffset(spell.AdmittedAt, TimeSpan.Zero))))
        {
            return AdtResult.Invalid(new FieldError(nameof(r.ExpectedDischargeDate), "Expected discharge date must be on or after the admission"));
        }
        spell.ExpectDischarge(r.ExpectedDischargeDate);
        var detail = r.ExpectedDischargeDate is { } d ? $"Expected discharge date set to {d:yyyy-MM-dd}" : "Expected discharge date cleared";
        return await SaveAsync(spell, patient, spell.WardId, "A08", clock.GetUtcNow().UtcDateTime, AuditAction.Update, detail, mixedSexJustified: false, cancel);
    }

    public async Task<AdtResult> ChangeConsultantAsync(int spellId, ConsultantChangeRequest r, CancellationToken cancel = default)
    {
        if (await CurrentSpellAsync(spellId, cancel) is not { } found)
        {
            return await MissingAsync(spellId, "change the consultant of", cancel);
        }
        var (spell, patient) = found;
        var now = clock.GetUtcNow().UtcDateTime;
        var at = r.At?.UtcDateTime ?? now;
        var errors = new List<FieldError>();
        var team = await TeamAsync(r.TeamId, errors, cancel);
        if (team is not null && team.Id == spell.ResponsibleTeamId)
        {
            errors.Add(new(nameof(r.TeamId), "The patient is already under that team"));
        }
        When(at, now, spell.LatestChangeAt, "the last change to this admission", errors);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }
        spell.ChangeConsultant(team!.Id, at, new SpellEvent(spell.Events.Count + 1, SpellEventKind.ConsultantChanged, at, now, staff.UserName ?? "system", null, null));
        return await SaveAsync(spell, patient, spell.WardId, "A54", at, AuditAction.Update, $"Consultant changed to {team.Name}", false, cancel);
    }

    public async Task<AdtResult> DischargeAsync(int spellId, DischargeRequest r, CancellationToken cancel = default) =>
        await CurrentSpellAsync(spellId, cancel) is { } found ? await DischargeAsync(found, r, cancel) : await MissingAsync(spellId, "discharge", cancel);

    /// <summary>Discharges the patient's current spell, for a feed that names the patient (HL7 A03); null when they are not in hospital.</summary>
    public async Task<AdtResult?> DischargePatientAsync(Guid patientId, DischargeRequest r, CancellationToken cancel = default) =>
        await CurrentSpellOfPatientAsync(patientId, cancel) is { } found ? await DischargeAsync(found, r, cancel) : null;

    private async Task<AdtResult> DischargeAsync((Spell Spell, Patient Patient) found, DischargeRequest r, CancellationToken cancel)
    {
        var (spell, patient) = found;
        var now = clock.GetUtcNow().UtcDateTime;
        var at = r.At?.UtcDateTime ?? now;
        var errors = new List<FieldError>();
        Code(r.DischargeMethod, AdtCodes.DischargeMethods, nameof(r.DischargeMethod), "discharge method", errors);
        Code(r.DischargeDestination, AdtCodes.DischargeDestinations, nameof(r.DischargeDestination), "discharge destination", errors);
        if (errors.Count == 0 && (r.DischargeMethod is "4" or "5") != (r.DischargeDestination == "79"))
        {
            errors.Add(new(nameof(r.DischargeDestination), "Destination 79 (not applicable) goes with a death or stillbirth, and only then"));
        }
        When(at, now, spell.LatestChangeAt, "the last change to this admission", errors);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }
        var from = spell.Bed;
        var recorded = new SpellEvent(spell.Events.Count + 1, SpellEventKind.Discharged, at, now, staff.UserName ?? "system", from, null);
        from?.Vacate();
        spell.Discharge(at, r.DischargeMethod!, r.DischargeDestination!, recorded);
        return await SaveAsync(spell, patient, spell.WardId, "A03", at, AuditAction.Update,
            $"Discharged (method {r.DischargeMethod}, destination {r.DischargeDestination})", false, cancel);
    }

    /// <summary>Takes back the last change of any current spell, or the discharge of a discharged one.</summary>
    public async Task<AdtResult> UndoLastAsync(int spellId, UndoRequest r, CancellationToken cancel = default)
    {
        var spell = await SpellById.For(db)(db, spellId, false, cancel);
        if (spell is null)
        {
            return new(null, [], NotFound: true);
        }
        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            return AdtResult.Invalid(new FieldError(nameof(r.Reason), "Give the reason for the correction"));
        }
        if (spell.LastChange is not { } last)
        {
            return AdtResult.Invalid(new FieldError("", "There is nothing to undo on this admission"));
        }
        if (last.Kind != SpellEventKind.Discharged && !spell.IsCurrent)
        {
            return AdtResult.Invalid(new FieldError("", "Only the discharge of a discharged patient can be undone"));
        }
        if (last.Kind == SpellEventKind.Discharged && await db.Spells.Where(Spell.Current).AnyAsync(s => s.PatientId == spell.PatientId, cancel))
        {
            return AdtResult.Invalid(new FieldError("", "The patient has been admitted again since: their discharge cannot be undone"));
        }
        // The bed the patient goes back to must still be free.
        var back = last.Kind switch
        {
            SpellEventKind.Transferred or SpellEventKind.Discharged => last.FromBedId,
            _ => null,
        };
        var beds = await db.Beds.Where(b => b.Id == last.FromBedId || b.Id == last.ToBedId).ToDictionaryAsync(b => b.Id, cancel);
        if (back is { } backId && !beds[backId].CanBeReoccupied)
        {
            return AdtResult.Invalid(new FieldError("", $"Bed {beds[backId].Label} is now {beds[backId].Status.ToString().ToLowerInvariant()}: move the patient to a free bed instead"));
        }
        var patient = await db.Patients.FirstAsync(p => p.Id == spell.PatientId, cancel);
        var now = clock.GetUtcNow().UtcDateTime;
        if (last.ToBedId is { } to)
        {
            beds[to].RestoreTo(last.ToBedStatusBefore!.Value);
        }
        if (back is { } b)
        {
            beds[b].RestoreTo(last.FromBedStatusBefore!.Value);
        }
        var wardBefore = spell.WardId;
        // An admission entered in error did not fulfil the expected admission: the patient is expected again.
        var fulfilled = last.Kind == SpellEventKind.Admitted
            ? await db.ExpectedAdmissions.FirstOrDefaultAsync(e => e.SpellId == spell.Id && e.Status == ExpectedAdmissionStatus.Admitted, cancel)
            : null;
        fulfilled?.Reopen();
        spell.UndoLast(now, staff.UserName ?? "system");
        var type = last.Kind switch
        {
            SpellEventKind.Admitted => "A11",
            SpellEventKind.Transferred => "A12",
            SpellEventKind.ConsultantChanged => "A55",
            _ => "A13",
        };
        var undone = await SaveAsync(spell, patient, wardBefore, type, now, AuditAction.Update, $"Undid {last.Kind.ToString().ToLowerInvariant()} of {last.At:u}: {r.Reason!.Trim()}"
            + (fulfilled is null ? "" : $"; expected admission {fulfilled.Id} expected again"), false, cancel);
        if (fulfilled is not null && undone.Spell is not null)
        {
            boards.Changed([fulfilled.WardId]); // its ward's list shows the patient as coming again
        }
        return undone;
    }

    // Every movement, from a ward's pages or a feed (an HL7 inbox applies thousands a minute), starts with these look-ups:
    // compiled once rather than translated on each call.

    /// <summary>
    /// A spell (not cancelled; <c>currentOnly</c>: nor discharged) with all a movement changes or checks, in one statement:
    /// one spell's stays, episodes and events multiply to tens of rows (hundreds for a long, eventful stay), and on PostgreSQL three more round
    /// trips (a split query) cost more than that (A02/A03 ingest +15%, measured).
    /// </summary>
    private static readonly PerModel<Func<LanternDb, int, bool, CancellationToken, Task<Spell?>>> SpellById = new(() => EF.CompileAsyncQuery(
        (LanternDb db, int id, bool currentOnly, CancellationToken _) => db.Spells.Include(s => s.WardStays).Include(s => s.Episodes).Include(s => s.Events)
            .Include(s => s.Bed).Include(s => s.Ward).Include(s => s.ResponsibleTeam).AsSingleQuery()
            .FirstOrDefault(s => s.Id == id && s.CancelledAt == null && (!currentOnly || s.DischargedAt == null))));

    /// <summary>
    /// The same graph as <see cref="SpellById"/>: the patient's current spell (a compiled query cannot be composed on, so
    /// the includes are repeated). Only a feed's movement asks, inside the inbox's transaction: split on SQLite.
    /// </summary>
    private static readonly PerModel<Func<LanternDb, Guid, CancellationToken, Task<Spell?>>> CurrentSpellOfPatient = new(sqlite => EF.CompileAsyncQuery(
        SplitOnSqlite.Query(sqlite, (LanternDb db, Guid patientId, CancellationToken _) => db.Spells.Include(s => s.WardStays).Include(s => s.Episodes).Include(s => s.Events)
            .Include(s => s.Bed).Include(s => s.Ward).Include(s => s.ResponsibleTeam).AsSingleQuery()
            .Where(Spell.Current).FirstOrDefault(s => s.PatientId == patientId))));

    private static readonly PerModel<Func<LanternDb, Guid, IAsyncEnumerable<ExpectedAdmission>>> OpenExpected = new(() => EF.CompileAsyncQuery(
        (LanternDb db, Guid patientId) => db.ExpectedAdmissions.Where(e => e.PatientId == patientId && e.Status == ExpectedAdmissionStatus.Expected)));

    private static readonly CompiledQuery<Guid, bool> InHospital = new((db, patientId, _) => db.Spells.Where(Spell.Current).Any(s => s.PatientId == patientId));

    internal static readonly CompiledQuery<string, Ward?> WardByCode = new((db, code, _) => db.Wards.FirstOrDefault(w => w.Code == code));

    private static readonly PerModel<Func<LanternDb, int, string, CancellationToken, Task<Bed?>>> BedByLabel = new(() => EF.CompileAsyncQuery(
        (LanternDb db, int wardId, string label, CancellationToken _) => db.Beds.Include(b => b.Bay).FirstOrDefault(b => b.WardId == wardId && b.Label == label)));

    private async Task<(Spell Spell, Patient Patient)?> CurrentSpellAsync(int spellId, CancellationToken cancel) =>
        await WithPatientAsync(await SpellById.For(db)(db, spellId, true, cancel), cancel);

    /// <summary>The patient's current spell, found by the patient in the one statement that loads it (a feed's movement: one round trip fewer).</summary>
    private async Task<(Spell Spell, Patient Patient)?> CurrentSpellOfPatientAsync(Guid patientId, CancellationToken cancel) =>
        await WithPatientAsync(await CurrentSpellOfPatient.For(db)(db, patientId, cancel), cancel);

    private async Task<(Spell Spell, Patient Patient)?> WithPatientAsync(Spell? spell, CancellationToken cancel) =>
        spell is null ? null : (spell, await db.Patients.FindAsync([spell.PatientId], cancel) ?? throw new InvalidOperationException($"Spell {spell.Id} has no patient"));

    private async Task<AdtResult> MissingAsync(int spellId, string what, CancellationToken cancel) =>
        await db.Spells.AnyAsync(s => s.Id == spellId, cancel)
            ? AdtResult.Invalid(new FieldError("", $"This patient is no longer in hospital: you cannot {what} them"))
            : new(null, [], NotFound: true);

    private async Task<ClinicalTeam?> TeamAsync(int? teamId, List<FieldError> errors, CancellationToken cancel)
    {
        // By key: no query when the caller has just found the team (an HL7 A01, by its consultant's GMC number).
        var team = teamId is null ? null : await db.ClinicalTeams.FindAsync([teamId], cancel);
        if (team is null)
        {
            errors.Add(new(nameof(AdmitRequest.TeamId), "Choose the consultant team responsible"));
        }
        return team;
    }

    /// <summary>The ward and (optional) bed, checked: the bed is on the ward, free, and in a bay for the patient's sex.</summary>
    private async Task<(Ward? Ward, Bed? Bed)> PlaceAsync(string? wardCode, string? bedLabel, Patient? patient, bool mixedSexJustified,
        Spell? moving, List<FieldError> errors, CancellationToken cancel)
    {
        var ward = string.IsNullOrWhiteSpace(wardCode) ? null : await WardByCode.RunAsync(db, wardCode.Trim(), cancel);
        if (ward is null)
        {
            errors.Add(new(nameof(AdmitRequest.WardCode), "Choose a ward"));
            return (null, null);
        }
        if (string.IsNullOrWhiteSpace(bedLabel))
        {
            return (ward, null);
        }
        var bed = await BedByLabel.For(db)(db, ward.Id, bedLabel.Trim(), cancel);
        if (bed is null)
        {
            errors.Add(new(nameof(AdmitRequest.BedLabel), $"{ward.Name} has no bed {bedLabel.Trim()}"));
        }
        else if (bed.Status != BedStatus.Available && bed.Id != moving?.BedId)
        {
            errors.Add(new(nameof(AdmitRequest.BedLabel), $"Bed {bed.Label} is {bed.Status.ToString().ToLowerInvariant()}: choose a free bed"));
        }
        else if (bed.Bay is { Sex: not SexOfBay.Mixed } bay && patient is { Gender: Gender.Male or Gender.Female } p
            && (bay.Sex == SexOfBay.Male) != (p.Gender == Gender.Male) && !mixedSexJustified)
        {
            errors.Add(new(nameof(AdmitRequest.BedLabel), $"Bay {bay.Name} is a {bay.Sex.ToString().ToLowerInvariant()} bay: choose another bed, or record that a mixed-sex placement is clinically justified"));
        }
        return (ward, bed);
    }

    private static void When(DateTime at, DateTime now, DateTime? notBefore, string what, List<FieldError> errors)
    {
        if (at > now + Skew)
        {
            errors.Add(new("At", "The time cannot be in the future"));
        }
        else if (notBefore is { } earliest && at < earliest)
        {
            errors.Add(new("At", $"The time must be after {what}"));
        }
    }

    private static DateTime UkMidnight(DateOnly date) => Platform.UkTime.StartOfUkDay(date).UtcDateTime;

    /// <summary>A CDS code from <paramref name="codes"/>, or "Choose the …" against <paramref name="field"/>.</summary>
    internal static void Code(string? value, System.Collections.Frozen.FrozenDictionary<string, string> codes, string field, string label, List<FieldError> errors)
    {
        if (value is null || !codes.ContainsKey(value))
        {
            errors.Add(new(field, $"Choose the {label}"));
        }
    }

    private static string Where(Ward ward, Bed? bed) => bed is null ? $"{ward.Code} (no bed yet)" : $"{ward.Code} bed {bed.Label}";

    /// <summary>What a receiving system needs, as at the event: who, where, under whom, and the spell's codes.</summary>
    private async Task<string> PayloadAsync(Spell spell, Patient patient, string eventType, DateTime at, CancellationToken cancel)
    {
        // Find: the command has usually loaded these already, so no extra round trip.
        var ward = await db.Wards.FindAsync([spell.WardId], cancel);
        var bed = spell.BedId is { } bedId ? await db.Beds.FindAsync([bedId], cancel) : null;
        var team = spell.ResponsibleTeamId is { } teamId ? await db.ClinicalTeams.FindAsync([teamId], cancel) : null;
        return JsonSerializer.Serialize(new
        {
            Event = eventType, SpellId = spell.Id, patient.NhsNumber, patient.Mrn, patient.FamilyName, patient.GivenName,
            patient.BirthDate, Gender = patient.Gender.ToString(), Ward = ward!.Code, Bed = bed?.Label, Team = team?.Name,
            team?.SpecialtyCode, At = at, spell.AdmittedAt, spell.AdmissionMethod, spell.AdmissionSource, spell.DischargedAt,
            spell.DischargeMethod, spell.DischargeDestination, spell.ExpectedDischargeDate, Cancelled = spell.CancelledAt is not null,
        });
    }

    /// <summary>
    /// Saves the command's changes with its outbound message and audit entry, and tells the boards of the ward the
    /// patient was on (<paramref name="wardBefore"/>) and is on now: a movement's beds and stays are on those two wards.
    /// (Asking the change tracker which beds changed cost a second full change detection per command, 6% of an HL7
    /// movement's time, profiled.)
    /// </summary>
    private async Task<AdtResult> SaveAsync(Spell spell, Patient patient, int? wardBefore, string eventType, DateTime at, AuditAction action, string detail,
        bool mixedSexJustified, CancellationToken cancel)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        int[] wardsTouched = wardBefore is { } before && before != spell.WardId ? [before, spell.WardId] : [spell.WardId];
        try
        {
            await audit.SaveInTransactionAsync(async c =>
            {
                if (spell.Id == 0)
                {
                    await db.SaveChangesAsync(c); // a new spell gets its id, which the message and audit entry name
                }
                audit.AppendInCommitOrder(new OutboxMessage(eventType, patient.Id, at, now, await PayloadAsync(spell, patient, eventType, at, c), staff.UserName ?? "system"));
                var recordId = spell.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return (spell, (IReadOnlyList<AuditEvent>)[new AuditEvent(action, "Spell", recordId, patient.Id,
                    detail + (mixedSexJustified ? "; mixed-sex placement recorded as clinically justified" : ""))]);
            }, cancel);
        }
        catch (DbUpdateException)
        {
            // Another clerk changed this bed or admission first; the transaction rolled back, nothing of ours is stored.
            return new(null, [new FieldError("", "Someone else changed this bed or admission at the same moment. Nothing was saved: check the bed board and try again.")], Conflict: true);
        }
        boards.Changed(wardsTouched);
        return new(spell, []);
    }
}
