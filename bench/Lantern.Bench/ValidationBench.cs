using System.Diagnostics;
using System.IO.Compression;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir.Validation;
using Microsoft.Extensions.Options;

namespace Lantern.Bench;

/// <summary>
/// `--suite validate --synthea DIR`: what validation alone costs, without HTTP or a database. Every Synthea bundle in
/// DIR is parsed and validated as the server validates a posted transaction (entry by entry on every core), twice:
/// a warm-up pass, then the measured one.
/// </summary>
public static class ValidationBench
{
    public static void Run(string folder)
    {
        var bundles = Directory.GetFiles(folder).Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".json.gz", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(Read).ToList();
        var resources = bundles.Sum(b => b.Entry.Count);
        var validation = new FhirValidation(Options.Create(new FhirValidationOptions
        {
            AllowedExtensionDomains = ["http://hl7.org/fhir/us/core/StructureDefinition/", "http://synthetichealth.github.io/synthea/"],
        }));
        Console.WriteLine($"Validation alone: {bundles.Count} Synthea bundles, {resources:N0} resources, {Environment.ProcessorCount} cores");
        var thrown = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        if (Environment.GetEnvironmentVariable("LANTERN_BENCH_EXCEPTIONS") == "1")
        {
            AppDomain.CurrentDomain.FirstChanceException += (_, e) => thrown.AddOrUpdate(e.Exception.GetType().Name + ": " + e.Exception.Message[..Math.Min(160, e.Exception.Message.Length)], 1, (_, n) => n + 1);
        }
        foreach (var pass in new[] { "warm-up", "measured" })
        {
            var (clock, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
            var errors = bundles.Sum(b => validation.Validate(b).Count(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal));
            Console.WriteLine($"{pass}: {clock.Elapsed.TotalSeconds:0.0} s = {resources / clock.Elapsed.TotalSeconds:N0} resources/s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds:0.0} cores busy; {errors} errors");
        }
        foreach (var (what, count) in thrown.OrderByDescending(t => t.Value).Take(15))
        {
            Console.WriteLine($"{count,8} {what}");
        }
        Console.WriteLine($"Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB");
    }

    private static Bundle Read(string file)
    {
        using var stream = File.OpenRead(file);
        using var text = new StreamReader(file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream);
        return new FhirJsonDeserializer().Deserialize<Bundle>(text.ReadToEnd());
    }
}
