using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir.Store;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform.Storage;

namespace Lantern.Server.Interop.Fhir;

/// <summary>Each saved version of a registration, as the UK Core Patient it was, in the FHIR history table.</summary>
public sealed class FhirPatientVersions(LanternDb db, TimeProvider clock) : IPatientVersions
{
    public void Keep(Patients.Patient patient, bool created)
    {
        var resource = FhirPatients.ToFhir(patient);
        var now = clock.GetUtcNow();
        resource.Meta!.LastUpdated = now;
        db.FhirResourceHistory.Add(new StoredResourceVersion("Patient", patient.Id.ToString(), patient.Version, now.UtcDateTime, created ? "POST" : "PUT", resource.ToJson()));
    }
}
