using System.Diagnostics;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir.Import;
using Lantern.Server.Interop.Fhir.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Lantern.Bench;

/// <summary>
/// `--suite validate --synthea DIR`: what validation alone costs, without HTTP or a database. Every Synthea bundle in
/// DIR is parsed and validated as the server validates a posted transaction (entry by entry on every core), with the
/// server's own validation settings (appsettings.json), twice: a warm-up pass, then the measured one.
/// </summary>
public static class ValidationBench
{
    public static async System.Threading.Tasks.Task RunAsync(string folder)
    {
        var parser = new FhirJsonDeserializer();
        var bundles = new List<Bundle>();
        foreach (var file in SyntheaImport.BundleFiles(folder))
        {
            bundles.Add(parser.Deserialize<Bundle>(await SyntheaImport.ReadAsync(file)));
        }
        var resources = bundles.Sum(b => b.Entry.Count);
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build()
            .GetSection(FhirValidationOptions.Section).Get<FhirValidationOptions>() ?? new FhirValidationOptions();
        var validation = new FhirValidation(Options.Create(settings));
        Console.WriteLine($"Validation alone: {bundles.Count} Synthea bundles, {resources:N0} resources, {Environment.ProcessorCount} cores");
        foreach (var pass in new[] { "warm-up", "measured" })
        {
            var (clock, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
            var errors = bundles.Sum(b => validation.Validate(b).Count(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal));
            Console.WriteLine($"{pass}: {clock.Elapsed.TotalSeconds:0.0} s = {resources / clock.Elapsed.TotalSeconds:N0} resources/s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds:0.0} cores busy; {errors} errors");
        }
        Console.WriteLine($"Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");
    }
}
