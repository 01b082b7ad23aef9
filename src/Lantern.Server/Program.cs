using Lantern.Server.Audit;
using Lantern.Server.Demo;
using Lantern.Server.Inpatients;
using Lantern.Server.Inpatients.Beds;
using Lantern.Server.Inpatients.Expected;
using Lantern.Server.Interop.Fhir;
using Lantern.Server.Interop.Fhir.Validation;
using Lantern.Server.Interop.Hl7v2;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Merging;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Commands;
using Lantern.Server.Platform.Health;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Platform.Ui;
using Lantern.Server.Security;
using Lantern.Server.Security.OAuth;
using Lantern.Server.Security.Relationships;

var builder = WebApplication.CreateBuilder(args);
builder.AddLanternPlatform();
builder.Services
    .AddLanternStorage(builder.Configuration, builder.Environment.ContentRootPath)
    .AddLanternIdentity(builder.Configuration)
    .AddLanternSecurity(builder.Configuration, builder.Environment)
    .AddLanternOAuth(builder.Configuration, builder.Environment)
    .AddLanternAudit()
    .AddLanternPatients()
    .AddScoped<ILegitimateRelationshipSource, InpatientRelationships>()
    .AddPatientLinks<Spell, int>("Spell")
    .AddScoped<Lantern.Server.Inpatients.Adt.AdtCommands>()
    .AddScoped<ExpectedAdmissions>()
    .AddPatientLinks<ExpectedAdmission, int>(ExpectedAdmissions.RecordType)
    .AddSingleton<WardChanges>()
    .AddScoped<BedManagement>()
    .AddScoped<Lantern.Server.Interop.Fhir.Store.FhirStore>()
    .AddScoped<FhirBundles>()
    .AddFhirValidation(builder.Configuration)
    .AddHl7v2(builder.Configuration)
    .AddScoped<Lantern.Server.Patients.Registration.IPatientVersions, FhirPatientVersions>()
    .AddPatientLinks<Lantern.Server.Interop.Fhir.Store.StoredResource, long>("FhirResource")
    .AddNavigation("Wards", "/wards", order: 20, Activity.ViewDemographics)
    .AddLanternHealth()
    .AddLanternUi()
    .AddLanternApiDocumentation()
    .AddNavigation("Patients", "/patients", order: 10, Activity.ViewDemographics)
    .AddNavigation("Register a patient", "/patients/register", order: 11, Activity.RegisterPatient)
    .AddNavigation("Audit", "/audit", order: 80, Activity.ViewAudit)
    .AddNavigation("Staff accounts", "/admin/users", order: 85, Activity.ManageUsers)
    .AddNavigation("Connected systems", "/admin/clients", order: 86, Activity.ManageUsers)
    .AddNavigation("Interfaces", "/admin/interfaces", order: 87, Activity.ManageInterfaces)
    .AddNavigation("Trust directory", "/trust", order: 90, Activity.ViewTrustDirectory)
    .AddScoped<DemoTrustSeeder>()
    .AddScoped<Lantern.Server.Account.SignInAudit>();

var app = builder.Build();
app.UseLanternPipeline();
app.MapLanternHealth();
app.MapLanternAudit();
app.MapPatientApi();
app.MapInpatientApi();
app.MapExpectedAdmissionApi();
app.MapWardApi();
app.MapLanternApiDocumentation();
app.MapTokenEndpoint();
app.MapSmartAppLaunch();
app.MapFhir();
app.MapRazorPages();

return await LanternCommands.RunAsync(app, args);

/// <summary>Entry point; public so the tests' WebApplicationFactory can host it.</summary>
public partial class Program;
