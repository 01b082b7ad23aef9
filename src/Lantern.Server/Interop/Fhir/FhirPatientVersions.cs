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
        // The resource is made now (the patient changes later in a batch); its JSON, which costs more, may be made aside.
        var (id, version) = (patient.Id.ToString(), patient.Version);
        db.AppendMadeAside(() => new StoredResourceVersion("Patient", id, version, now.UtcDateTime, created ? "POST" : "PUT", resource.ToJson()));
    }
}
