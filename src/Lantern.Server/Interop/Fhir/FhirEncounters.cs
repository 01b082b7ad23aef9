using System.Globalization;
using Hl7.Fhir.Model;
using Lantern.Server.Inpatients;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Fhir;

/// <summary>
/// Inpatient spells as FHIR Encounters (<c>Encounter/spell-{id}</c>), read-only and always current: class IMP,
/// status from the spell, admission source and discharge destination (NHS Data Dictionary codes, UK Core code
/// systems), each ward stay as a location with its period, each consultant episode as a participant.
/// Admission details are part of the administrative record, so whoever may see the patient's demographics may
/// read them (systems: their Encounter scope).
/// </summary>
public static class FhirEncounters
{
    public const string Prefix = "spell-";
    private const string SourceOfAdmission = "https://fhir.hl7.org.uk/CodeSystem/UKCore-SourceOfAdmissionEngland";
    private const string DischargeDestination = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestinationEngland";
    private const string AdmissionMethod = "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland";

    public static Encounter From(SpellView s)
    {
        var encounter = new Encounter
        {
            Id = Prefix + s.Id.ToString(CultureInfo.InvariantCulture),
            Meta = new Meta { VersionId = s.Events.Count.ToString(CultureInfo.InvariantCulture) },
            Status = s.Status switch
            {
                "cancelled" => Encounter.EncounterStatus.EnteredInError,
                "discharged" => Encounter.EncounterStatus.Finished,
                _ => Encounter.EncounterStatus.InProgress,
            },
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"),
            Type = [new CodeableConcept(AdmissionMethod, s.AdmissionMethod, AdtCodes.AdmissionMethods.GetValueOrDefault(s.AdmissionMethod))],
            Subject = new ResourceReference($"Patient/{s.PatientId}"),
            Period = new Period { Start = Instant(s.AdmittedAt), End = s.DischargedAt is { } d ? Instant(d) : null },
            Hospitalization = new Encounter.HospitalizationComponent
            {
                AdmitSource = new CodeableConcept(SourceOfAdmission, s.AdmissionSource, AdtCodes.AdmissionSources.GetValueOrDefault(s.AdmissionSource)),
                DischargeDisposition = s.DischargeDestination is { } destination
                    ? new CodeableConcept(DischargeDestination, destination, AdtCodes.DischargeDestinations.GetValueOrDefault(destination)) : null,
            },
        };
        foreach (var stay in s.WardStays)
        {
            encounter.Location.Add(new Encounter.LocationComponent
            {
                Location = new ResourceReference { Display = stay.Bed is null ? stay.Ward : $"{stay.Ward} bed {stay.Bed}" },
                Status = stay.EndedAt is null && s.Status == "admitted" ? Encounter.EncounterLocationStatus.Active : Encounter.EncounterLocationStatus.Completed,
                Period = new Period { Start = Instant(stay.StartedAt), End = stay.EndedAt is { } e ? Instant(e) : null },
            });
        }
        foreach (var episode in s.Episodes)
        {
            encounter.Participant.Add(new Encounter.ParticipantComponent
            {
                Type = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "ATND", "attender")],
                Individual = new ResourceReference { Display = episode.Team },
                Period = new Period { Start = Instant(episode.StartedAt), End = episode.EndedAt is { } e ? Instant(e) : null },
            });
        }
        return encounter;
    }

    private static string Instant(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>The encounters of a patient's spells, for Encounter?patient=… (the caller has checked access).</summary>
    public static async Task<List<Encounter>> ForPatientAsync(LanternDb db, Guid patientId, DateTime now, CancellationToken cancel) =>
        [.. (await SpellView.ForPatientAsync(db, patientId, now, cancel)).Select(From)];

    public static async Task<IResult> ReadAsync(int spellId, LanternDb db, PatientAccess access, CurrentStaff staff, TimeProvider clock, CancellationToken cancel)
    {
        var patientId = await db.Spells.Where(s => s.Id == spellId).Select(s => (Guid?)s.PatientId).FirstOrDefaultAsync(cancel);
        var decision = patientId is null ? null
            : staff.IsSystem ? await access.OpenForSystemAsync(patientId.Value, cancel) : await access.OpenDemographicsAsync(patientId.Value, cancel);
        if (decision?.Level is not (PatientAccessLevel.DemographicsOnly or PatientAccessLevel.ClinicalRecord))
        {
            return FhirFormat.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"No Encounter/{Prefix}{spellId}");
        }
        return FhirFormat.Resource(From(await SpellView.LoadAsync(db, spellId, clock.GetUtcNow().UtcDateTime, cancel)));
    }
}
