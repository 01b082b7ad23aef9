using System.Collections.Frozen;
using Lantern.Server.Audit;
using Lantern.Server.Inpatients;
using Lantern.Server.Inpatients.Adt;
using Lantern.Server.Inpatients.Expected;
using Lantern.Server.Organisation;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Merging;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>
/// Applies an inbound ADT event to the MPI and the inpatient model through the same domain commands the pages use
/// (registration, admit, transfer, discharge, undo, merge), so a feed gets the pages' rules: a transfer for a patient
/// not in hospital is refused (AE) exactly as on the ward. Runs inside the inbox's transaction.
/// </summary>
public sealed class AdtInbound(LanternDb db, PatientRegistry registry, HospitalNumbers hospitalNumbers, AdtCommands commands, ExpectedAdmissions expectations,
    PatientMerger merger, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The trigger events that may register the person they are about.</summary>
    private static readonly FrozenSet<string> Registering = new[] { "A01", "A04", "A05", "A08", "A28", "A31" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The trigger events Lantern applies.</summary>
    private static readonly FrozenSet<string> Events = Registering.Concat(["A02", "A03", "A11", "A12", "A13", "A38", "A40"]).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// A hospital number for a patient the message may register who comes without one (<see cref="MayRegisterWithoutMrn"/>),
    /// issued before the transaction: numbers are reserved in blocks that must commit on their own. Unused, it is a gap.
    /// </summary>
    public async Task<string> SpareMrnAsync(CancellationToken cancel) => await hospitalNumbers.NextAsync(db, cancel);

    /// <summary>Whether the message may register someone and names no hospital number (so needs a spare one).</summary>
    public static bool MayRegisterWithoutMrn(Hl7Message message) =>
        Registering.Contains(message.Type.Trigger) && message.Segment("PID") is { } pid && PidReader.IdentifiersOf(pid).Mrn is null;

    /// <summary>Applies the event; returns the patient it concerned. Throws <see cref="Hl7RefusalException"/> when it cannot be applied.</summary>
    public async Task<Guid> ApplyAsync(Hl7Message message, string? spareMrn, CancellationToken cancel)
    {
        var trigger = message.Type.Trigger;
        if (!Events.Contains(trigger))
        {
            throw Hl7RefusalException.Reject($"ADT^{trigger} is not an event Lantern takes", Hl7Acks.UnsupportedEventCode);
        }
        var adt = AdtEvent.Read(message);
        var pid = message.Segment("PID")!;
        var source = $"HL7 {message.Type.Code}^{trigger} from {message.SendingApplication} ({message.ControlId})";
        // Nothing after a command reads its changes back from the database (the admission uses the patient as recorded,
        // tracked and found by key): each event's change is saved with the message that carried it, one save rather
        // than two or three; an A01's new patient with the new spell, whose id the admission needs. Not a merge, which
        // moves linked records in bulk.
        using var joined = trigger == "A40" ? (AuditTrail.JoinedSave?)null : audit.JoinNextSave();
        switch (trigger)
        {
            case "A28" or "A31" or "A04" or "A08":
                return (await RecordPatientAsync(message, pid, spareMrn, cancel)).Id;
            case "A05":
            {
                // Pre-admission: the patient is expected on the ward (PV1-3, else the pending location PV1-42) at PV2-8
                // (else EVN-3, the planned time). The same visit (PV1-19) sent again re-plans it.
                var patient = await RecordPatientAsync(message, pid, spareMrn, cancel);
                RequirePv1(message);
                Check(await expectations.ExpectAsync(new ExpectAdmissionRequest(patient.Id, adt.Ward ?? adt.PendingWard, await TeamAsync(adt.Consultant, cancel),
                    adt.ExpectedAdmitAt ?? adt.PlannedAt, adt.AdmissionMethod, adt.AdmitReason, adt.VisitNumber), cancel));
                return patient.Id;
            }
            case "A38":
            {
                var patient = await PidReader.FindPatientAsync(db, pid, cancel) ?? throw UnknownPatient(pid);
                Check(await expectations.CancelForPatientAsync(patient.Id, adt.VisitNumber, $"Cancelled by {source}", cancel)
                    ?? throw Hl7RefusalException.Error($"Patient {patient.Mrn} has no expected admission to cancel" + (adt.VisitNumber is { } v ? $" for visit {v}" : ""),
                        Hl7Acks.UnknownKeyIdentifier));
                return patient.Id;
            }
            case "A01":
            {
                var patient = await RecordPatientAsync(message, pid, spareMrn, cancel);
                RequirePv1(message);
                Check(await commands.AdmitAsync(new AdmitRequest(patient.Id, adt.Ward, adt.Bed, await TeamAsync(adt.Consultant, cancel), adt.AdmissionMethod,
                    adt.AdmissionSource, At: adt.AdmittedAt ?? adt.OccurredAt ?? adt.RecordedAt, VisitNumber: adt.VisitNumber), cancel));
                return patient.Id;
            }
            case "A02":
            {
                var patient = await PidReader.FindPatientAsync(db, pid, cancel) ?? throw UnknownPatient(pid);
                RequirePv1(message);
                Check(await commands.TransferPatientAsync(patient.Id, new TransferRequest(adt.Ward, adt.Bed, adt.OccurredAt ?? adt.RecordedAt), cancel)
                    ?? throw NotInHospital(patient));
                return patient.Id;
            }
            case "A03":
            {
                var patient = await PidReader.FindPatientAsync(db, pid, cancel) ?? throw UnknownPatient(pid);
                RequirePv1(message);
                Check(await commands.DischargePatientAsync(patient.Id, new DischargeRequest(adt.DischargeDisposition, adt.DischargeLocation,
                    adt.DischargedAt ?? adt.OccurredAt ?? adt.RecordedAt), cancel) ?? throw NotInHospital(patient));
                return patient.Id;
            }
            case "A11" or "A12" or "A13":
            {
                var patient = await PidReader.FindPatientAsync(db, pid, cancel) ?? throw UnknownPatient(pid);
                var expected = trigger switch { "A11" => SpellEventKind.Admitted, "A12" => SpellEventKind.Transferred, _ => SpellEventKind.Discharged };
                var spell = await LatestSpellOf.RunAsync(db, patient.Id, cancel)
                    ?? throw Hl7RefusalException.Error("The patient has no admission to cancel an event of", Hl7Acks.UnknownKeyIdentifier);
                if (spell.LastChange?.Kind != expected)
                {
                    throw Hl7RefusalException.Error($"{trigger} cancels the last {expected.ToString().ToLowerInvariant()} event, but the patient's last change was " +
                        (spell.LastChange?.Kind.ToString().ToLowerInvariant() ?? "none"));
                }
                Check(await commands.UndoLastAsync(spell.Id, new UndoRequest($"Cancelled by {source}"), cancel));
                return patient.Id;
            }
            case "A40":
            {
                var survivor = await PidReader.FindPatientAsync(db, pid, cancel) ?? throw UnknownPatient(pid);
                var retiredMrn = adt.PreviousMrn ?? throw Hl7RefusalException.Error("A40 needs an MRG segment naming the record to merge", Hl7Acks.SegmentSequenceError);
                var retired = await db.Patients.FirstOrDefaultAsync(p => p.Mrn == retiredMrn && p.MergedIntoId == null, cancel)
                    ?? throw Hl7RefusalException.Error($"MRG-1: no active patient with hospital number '{retiredMrn}'", Hl7Acks.UnknownKeyIdentifier);
                var result = await merger.MergeAsync(survivor.Id, retired.Id, $"Merged by {source}", cancel);
                if (result.Problem is { } problem)
                {
                    throw Hl7RefusalException.Error(problem);
                }
                return survivor.Id;
            }
            default:
                throw new InvalidOperationException($"ADT^{trigger} is listed as taken but not handled");
        }
    }

    /// <summary>Registers the patient if Lantern does not know them, or records what PID says about them.</summary>
    private async Task<Patient> RecordPatientAsync(Hl7Message message, Hl7Segment pid, string? spareMrn, CancellationToken cancel)
    {
        var known = await PidReader.FindPatientAsync(db, pid, cancel);
        var details = PidReader.DetailsOf(message, pid, known is null ? null : PatientDetails.From(known));
        var (demographics, errors) = details.Validate(UkTime.Today(clock));
        if (demographics is null)
        {
            throw Hl7RefusalException.Error(string.Join("; ", errors.Select(e => $"{PidReader.FieldOf(e.Field)}: {e.Message}")), Hl7Acks.DataTypeError);
        }
        if (known is not null)
        {
            // Details sent again unchanged (as every admission, move and discharge sends them) are not saved again.
            var updated = await registry.UpdateAsync(known.Id, known.Version, demographics, saveUnchanged: false, cancel);
            return updated.Outcome is RegistrationOutcome.Updated or RegistrationOutcome.Unchanged ? updated.Patient! : throw Refused(updated);
        }
        var mrn = PidReader.IdentifiersOf(pid).Mrn ?? spareMrn ?? throw new InvalidOperationException("No hospital number issued for a new patient");
        var registered = await registry.RegisterWithMrnAsync(demographics, mrn, cancel);
        return registered.Outcome == RegistrationOutcome.Registered ? registered.Patient! : throw Refused(registered);
    }

    private static Hl7RefusalException Refused(RegistrationResult r) => r.Outcome switch
    {
        RegistrationOutcome.NhsNumberInUse => Hl7RefusalException.Error($"PID-3: the NHS number is held by another patient ({r.NhsNumberHolderMrn})", Hl7Acks.UnknownKeyIdentifier),
        RegistrationOutcome.EditedByAnother => Hl7RefusalException.ChangedMeanwhile(),
        _ => Hl7RefusalException.Error($"The patient record could not be updated ({r.Outcome})"),
    };

    private static Hl7RefusalException NotInHospital(Patient patient) =>
        Hl7RefusalException.Error($"Patient {patient.Mrn} is not in hospital", Hl7Acks.UnknownKeyIdentifier);

    /// <summary>The spell a cancellation (A11-A13) is about: the patient's latest that is not itself cancelled.</summary>
    private static readonly CompiledQuery<Guid, Spell?> LatestSpellOf = new((db, patientId, _) =>
        db.Spells.Include(s => s.Events).Where(s => s.PatientId == patientId && s.CancelledAt == null).OrderByDescending(s => s.AdmittedAt).FirstOrDefault());

    /// <summary>Each A01 asks for its consultant: compiled, and tracked, so that the admission finds the team by key with no second query.</summary>
    private static readonly CompiledQuery<string, ClinicalTeam?> TeamLedBy = new((db, gmc, _) =>
        db.ClinicalTeams.FirstOrDefault(t => t.LeadConsultant != null && t.LeadConsultant.GmcNumber == gmc));

    private static Hl7RefusalException UnknownPatient(Hl7Segment pid) =>
        Hl7RefusalException.Error($"PID-3: no patient with the identifiers '{pid.Raw(3)}'", Hl7Acks.UnknownKeyIdentifier);

    private static void RequirePv1(Hl7Message message)
    {
        if (message.Segment("PV1") is null)
        {
            throw Hl7RefusalException.Error("The message has no PV1 segment", Hl7Acks.SegmentSequenceError);
        }
    }

    /// <summary>The consultant in charge (PV1-9 consulting, else PV1-7 attending) by GMC number: their team.</summary>
    private async Task<int?> TeamAsync(string? gmc, CancellationToken cancel)
    {
        if (gmc is null)
        {
            return null; // AdmitAsync names the missing team
        }
        return (await TeamLedBy.RunAsync(db, gmc, cancel))?.Id
            ?? throw Hl7RefusalException.Error($"PV1-9: no consultant with GMC number '{gmc}'", Hl7Acks.TableValueNotFound);
    }

    /// <summary>An expected admission's refusal, as the ACK's reason.</summary>
    private static void Check(ExpectedResult result)
    {
        if (result.Errors.Count > 0)
        {
            throw Hl7RefusalException.Error(string.Join("; ", result.Errors.Select(e => $"{ExpectedField(e.Field)}: {e.Message}")));
        }
        if (result.Conflict)
        {
            throw Hl7RefusalException.ChangedMeanwhile();
        }
    }

    private static string ExpectedField(string field) => field switch
    {
        nameof(ExpectAdmissionRequest.WardCode) => "PV1-3.1",
        nameof(ExpectAdmissionRequest.ExpectedAt) => "PV2-8",
        nameof(ExpectAdmissionRequest.VisitNumber) => "PV1-19",
        nameof(ExpectAdmissionRequest.Reason) => "PV2-3",
        _ => AdtField(field),
    };

    /// <summary>A domain command's refusal, as the ACK's reason (fields named as the command names them).</summary>
    private static void Check(AdtResult result)
    {
        if (result.NotFound)
        {
            throw Hl7RefusalException.Error("The admission was not found", Hl7Acks.UnknownKeyIdentifier);
        }
        if (result.Errors.Count > 0)
        {
            throw Hl7RefusalException.Error(string.Join("; ", result.Errors.Select(e => $"{AdtField(e.Field)}: {e.Message}")));
        }
        if (result.Conflict)
        {
            throw Hl7RefusalException.ChangedMeanwhile();
        }
    }

    private static string AdtField(string field) => field switch
    {
        nameof(AdmitRequest.PatientId) => "PID-3",
        nameof(AdmitRequest.WardCode) => "PV1-3.1",
        nameof(AdmitRequest.BedLabel) => "PV1-3.3",
        nameof(AdmitRequest.TeamId) => "PV1-9",
        nameof(AdmitRequest.AdmissionMethod) => "PV1-4",
        nameof(AdmitRequest.AdmissionSource) => "PV1-14",
        nameof(DischargeRequest.DischargeMethod) => "PV1-36",
        nameof(DischargeRequest.DischargeDestination) => "PV1-37",
        nameof(AdmitRequest.At) => "EVN-6",
        nameof(AdmitRequest.ExpectedAdmissionId) => "PV1-19",
        "" => "Event",
        _ => field,
    };
}
