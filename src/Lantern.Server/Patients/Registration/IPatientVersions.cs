namespace Lantern.Server.Patients.Registration;

/// <summary>
/// Keeps a copy of each version of a patient's registration as it is saved (for FHIR vread and history), in
/// the same transaction as the change. Registered by the interoperability module.
/// </summary>
public interface IPatientVersions
{
    /// <summary>Stages a copy of <paramref name="patient"/> as it now stands; saved with the change.</summary>
    void Keep(Patient patient, bool created);
}
