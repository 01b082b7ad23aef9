using Microsoft.Extensions.Options;

namespace Lantern.Server.Interop.Fhir.Validation;

public static partial class FhirValidationRegistration
{
    public static IServiceCollection AddFhirValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<FhirValidationOptions>(configuration.GetSection(FhirValidationOptions.Section));
        return services.AddSingleton<FhirValidation>().AddHostedService<ValidatorWarmUp>();
    }

    /// <summary>
    /// Loads base R4 and compiles the UK Core Patient profile in the background at start, so that the first FHIR
    /// create after a restart does not wait seconds for it.
    /// </summary>
    private sealed partial class ValidatorWarmUp(FhirValidation validation, IOptions<FhirValidationOptions> options, ILogger<ValidatorWarmUp> log)
        : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.WarmUpAtStart ? Task.CompletedTask : Task.Run(() =>
        {
            try
            {
                var patient = new Hl7.Fhir.Model.Patient { Meta = new() { Profile = [UkCore.PatientProfile] } };
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                validation.Validate(patient);
                var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                Ready(log, seconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(log, e);
            }
        }, stoppingToken);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "FHIR validator ready in {Seconds:0.0} s")]
        private static partial void Ready(ILogger log, double seconds);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "FHIR validator warm-up failed; the first validation will load the profiles instead")]
        private static partial void Failed(ILogger log, Exception e);
    }
}
