using System.Collections.Concurrent;
using Firely.Fhir.Validation;
using Firely.Fhir.Validation.Compilation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>
/// The conformance resources the validator works from: base R4 (the SDK's specification.zip) and UK Core 2.0.0
/// (shipped in <c>UkCore/</c>, with snapshots generated on load). Loaded once per process: they never change while
/// it runs, and compiling profiles is the expensive part of validation.
/// </summary>
internal static class FhirConformance
{
    public static string UkCoreFolder => Path.Combine(AppContext.BaseDirectory, "Interop", "Fhir", "Validation", "UkCore");

    private static readonly Lazy<(IAsyncResourceResolver Resolver, HashSet<string> Profiles)> Loaded = new(() =>
    {
        var (baseR4, ukCore) = (ZipSource.CreateValidationSource(), new DirectorySource(UkCoreFolder, new DirectorySourceSettings { IncludeSubDirectories = true }));
        // From the sources' summaries (read when they are indexed), without parsing every profile.
        var profiles = baseR4.ListSummaries(ResourceType.StructureDefinition).Concat(ukCore.ListSummaries(ResourceType.StructureDefinition))
            .Select(summary => summary.GetConformanceCanonicalUrl()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return (new OneAtATime(new CachedResolver(new SnapshotSource(new MultiResolver(baseR4, ukCore)))), profiles);
    });

    private static readonly ConcurrentDictionary<string, Validator> Validators = new();

    /// <summary>Compiled profiles, shared by every validator in the process, compiled one at a time (see <see cref="OneSchemaAtATime"/>).</summary>
#pragma warning disable ExperimentalApi // the SDK's own default resolver, built here only to share and serialise it
    private static readonly Lazy<IElementSchemaResolver> Schemas = new(() => new OneSchemaAtATime(StructureDefinitionToElementSchemaResolver.CreatedCached(Resolver)));
#pragma warning restore ExperimentalApi

    public static IAsyncResourceResolver Resolver => Loaded.Value.Resolver;

    /// <summary>Whether Lantern holds the profile with this canonical URL (a version suffix is ignored).</summary>
    public static bool HoldsProfile(string canonical) => Loaded.Value.Profiles.Contains(canonical.Split('|')[0]);

    /// <summary>
    /// One validator per extension policy (in practice one per process), all sharing the compiled profiles.
    /// Unknown extensions under an allowed domain are warnings; any other is an error.
    /// </summary>
    public static Validator For(IReadOnlyList<string> allowedExtensionDomains) =>
        Validators.GetOrAdd(string.Join('\n', allowedExtensionDomains), _ =>
        {
            var settings = new ValidationSettings
            {
                // A claimed profile Lantern does not hold is left out (FhirValidation says so in a warning); one it
                // holds is always checked, so a profile that fails to load is an error, never a quiet pass.
                SelectValidationProfiles = (_, claimed, _, _) => [.. claimed.Where(profile => HoldsProfile(profile.ToString()))],
                FollowExtensionUrl = (_, url) => url?.Uri is { } extension && allowedExtensionDomains.Any(d => extension.StartsWith(d, StringComparison.Ordinal))
                    ? ExtensionUrlHandling.WarnIfMissing
                    : ExtensionUrlHandling.ErrorIfMissing,
            };
            // ref-1 is checked by ContentRules: the SDK also fails it on references that hold only an identifier.
#pragma warning disable ExperimentalApi // the only way to name one invariant; pinned SDK version, covered by tests
            settings.ExcludeFilters.Add(a => a is FhirPathValidator { Key: "ref-1" });
#pragma warning restore ExperimentalApi
            return new Validator(Resolver, LocalTerminologyService.CreateDefaultForCore(Resolver), null, settings, Schemas.Value);
        });

    /// <summary>
    /// Serialises compiling a profile into a schema: compiling reads the shared StructureDefinitions, and under
    /// concurrent first use a compile failed ("Failed to convert ElementDefinition at code"), which would refuse
    /// valid resources. Compiled schemas are cached, so once warm this is a dictionary lookup under the lock.
    /// </summary>
    private sealed class OneSchemaAtATime(IElementSchemaResolver inner) : IElementSchemaResolver
    {
        private readonly Lock gate = new();

        public ElementSchema? GetSchema(Firely.Fhir.Validation.Canonical schemaUri)
        {
            lock (gate)
            {
                return inner.GetSchema(schemaUri);
            }
        }
    }

    /// <summary>
    /// Serialises loading: snapshot generation and the caches behind it are not safe to run concurrently (two
    /// requests compiling the same profile at once made the SDK report base profiles as unloadable). Loaded
    /// profiles are compiled and cached by the validator, so this lock is not on the hot path once warm.
    /// </summary>
    private sealed class OneAtATime(IAsyncResourceResolver inner) : IAsyncResourceResolver, IDisposable
    {
        private readonly SemaphoreSlim gate = new(1, 1);

        public void Dispose() => gate.Dispose();

        [Obsolete("Part of the SDK's interface; Lantern calls TryResolveByUriAsync.")]
        public Task<Resource?> ResolveByUriAsync(string uri) => OneAsync(() => inner.ResolveByUriAsync(uri));

        [Obsolete("Part of the SDK's interface; Lantern calls TryResolveByCanonicalUriAsync.")]
        public Task<Resource?> ResolveByCanonicalUriAsync(string uri) => OneAsync(() => inner.ResolveByCanonicalUriAsync(uri));

        private async Task<Resource?> OneAsync(Func<Task<Resource?>> resolve)
        {
            await gate.WaitAsync();
            try
            {
                return await resolve();
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
