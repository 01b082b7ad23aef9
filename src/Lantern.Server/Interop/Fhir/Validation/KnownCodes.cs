using System.Collections.Concurrent;
using Hl7.Fhir.Model;

namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>
/// Codes from code systems Lantern holds in full (FHIR's own, UK Core's): a code that is not in its system is
/// reported whatever the binding strength (a warning; an error only where base R4 or a profile binds the element
/// to a required value set, which the SDK checks). Other systems (SNOMED CT, LOINC, dm+d) need a terminology
/// server and are not checked here.
/// </summary>
internal static class KnownCodes
{
    private static readonly ConcurrentDictionary<string, HashSet<string>?> Systems = new(StringComparer.Ordinal);

    public static bool IsUnknown(string system, string code) => CodesOf(system) is { } codes && !codes.Contains(code);

    private static HashSet<string>? CodesOf(string system) => Systems.GetOrAdd(system, url =>
    {
        var found = FhirConformance.Resolver.TryResolveByCanonicalUriAsync(url).GetAwaiter().GetResult().Value;
        return found is CodeSystem { Content: CodeSystemContentMode.Complete } complete
            ? Flatten(complete.Concept).Select(c => c.Code).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : null;
    });

    private static IEnumerable<CodeSystem.ConceptDefinitionComponent> Flatten(IEnumerable<CodeSystem.ConceptDefinitionComponent> concepts) =>
        concepts.SelectMany(c => Flatten(c.Concept).Prepend(c));
}
