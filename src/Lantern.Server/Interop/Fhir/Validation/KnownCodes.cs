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

    /// <summary>Remembered answers are bounded: a sender inventing system URLs must not grow the cache without end.</summary>
    private const int MaxRemembered = 10_000;

    private static HashSet<string>? CodesOf(string system)
    {
        if (Systems.TryGetValue(system, out var known))
        {
            return known;
        }
        var found = FhirConformance.Resolver.TryResolveByCanonicalUriAsync(system).GetAwaiter().GetResult().Value;
        var codes = found is CodeSystem { Content: CodeSystemContentMode.Complete } complete
            ? Flatten(complete.Concept).Select(c => c.Code).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : null;
        if (codes is not null || Systems.Count < MaxRemembered)
        {
            Systems[system] = codes;
        }
        return codes;
    }

    private static IEnumerable<CodeSystem.ConceptDefinitionComponent> Flatten(IEnumerable<CodeSystem.ConceptDefinitionComponent> concepts) =>
        concepts.SelectMany(c => Flatten(c.Concept).Prepend(c));
}
