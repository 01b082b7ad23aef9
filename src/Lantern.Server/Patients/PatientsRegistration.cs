using Lantern.Server.Patients.Merging;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Patients.Search;
using Lantern.Server.Security.BreakGlass;

namespace Lantern.Server.Patients;

public static class PatientsRegistration
{
    /// <summary>The master patient index: registration, duplicate check, search, merge.</summary>
    public static IServiceCollection AddLanternPatients(this IServiceCollection services) => services
        .AddScoped<PatientRegistry>()
        .AddSingleton<HospitalNumbers>()
        .AddScoped<DuplicateCheck>()
        .AddScoped<PatientSearch>()
        .AddScoped<PatientMerger>()
        // Break-glass grants follow the person: after a merge they cover the survivor.
        .AddPatientLinks<BreakGlassAccess, int>("BreakGlassAccess");
}
