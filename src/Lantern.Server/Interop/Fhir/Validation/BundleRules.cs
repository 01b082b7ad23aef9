using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>
/// The Bundle rules of the FHIR specification ("Resolving references in Bundles") that the Firely validator leaves to
/// the server: absolute fullUrls that agree with the resource they carry, each link relation once, references that
/// resolve inside the Bundle to a resource of the type they name, and documents that carry everything they cite.
/// </summary>
internal static partial class BundleRules
{
    public static IEnumerable<OperationOutcome.IssueComponent> Check(Bundle bundle, string path) =>
        Check(bundle.Type, bundle.Link, [.. bundle.Entry.Select((entry, i) => Facts(entry, $"{path}.entry[{i}]"))], path);

    /// <summary>What the rules need of an entry, taken while it is parsed (a large transaction is not held parsed whole).</summary>
    public static BundleEntryFacts Facts(Bundle.EntryComponent entry, string at)
    {
        var references = new List<(string Path, string Reference, string? Type)>();
        if (entry.Resource is { } resource)
        {
            // The entry and what it contains; a Bundle inside an entry resolves its own references.
            foreach (var node in FhirTree.Resources(resource, $"{at}.resource").Where(n => n.Resource == resource || n.Container is not null))
            {
                foreach (var (refPath, element) in FhirTree.Elements(node.Resource, node.Path))
                {
                    if (element is ResourceReference { Reference: { Length: > 0 } reference } cited && !reference.StartsWith('#'))
                    {
                        references.Add((refPath, reference, cited.Type));
                    }
                }
            }
        }
        return new(entry.FullUrl, entry.Request?.Method, entry.Resource?.TypeName, entry.Resource?.Id, entry.Search?.Mode == Bundle.SearchEntryMode.Match, references);
    }

    public static IEnumerable<OperationOutcome.IssueComponent> Check(Bundle.BundleType? type, List<Bundle.LinkComponent> links, IReadOnlyList<BundleEntryFacts> entries, string path)
    {
        foreach (var relation in links.Select((link, i) => (link.Relation, i)).GroupBy(l => l.Relation).Where(g => g.Count() > 1))
        {
            yield return ValidationIssue.Error($"{path}.link[{relation.Last().i}]", IssueType.Invalid, $"The link relation '{relation.Key}' can only occur once");
        }

        var byUrl = new Dictionary<string, string>(StringComparer.Ordinal); // fullUrl to the type of resource it carries
        for (var i = 0; i < entries.Count; i++)
        {
            var (entry, at) = (entries[i], $"{path}.entry[{i}]");
            if (entry.FullUrl is not { } fullUrl)
            {
                continue;
            }
            if (!ContentRules.IsAbsolute(fullUrl))
            {
                yield return ValidationIssue.Error(at, IssueType.Invalid, $"The fullUrl must be an absolute URL (not '{fullUrl}')");
                continue;
            }
            if (entry.ResourceType is { } resourceType && Restful(fullUrl) is { } restful)
            {
                if (string.IsNullOrEmpty(entry.ResourceId))
                {
                    yield return ValidationIssue.Error(at, IssueType.Invalid, $"The fullUrl '{fullUrl}' looks like a RESTful server URL, but the resource has no id");
                }
                else if (restful.Type != resourceType || restful.Id != entry.ResourceId)
                {
                    yield return ValidationIssue.Error(at, IssueType.Invalid, $"The fullUrl '{fullUrl}' looks like a RESTful server URL, so it must end with the resource's type and id ({resourceType}/{entry.ResourceId})");
                }
            }
            if (entry.ResourceType is { } carried)
            {
                byUrl.TryAdd(WithoutVersion(fullUrl), carried);
            }
            if (type == Bundle.BundleType.Searchset && entry.SearchMatch && string.IsNullOrEmpty(entry.ResourceId))
            {
                yield return ValidationIssue.Error($"{at}.resource", IssueType.Invalid, "Search results must have ids");
            }
        }

        foreach (var entry in entries)
        {
            foreach (var (refPath, reference, citedType) in entry.References)
            {
                var target = Target(reference, entry.FullUrl);
                if (target is not null && byUrl.TryGetValue(target, out var found))
                {
                    var named = citedType ?? TypeNamed(reference);
                    if (named is not null && named != found)
                    {
                        yield return ValidationIssue.Error(refPath, IssueType.Invalid, $"The reference {reference} names a {named}, but the Bundle's matching entry is a {found}");
                    }
                }
                else if (TypeNamed(reference) is { } named && byUrl.TryGetValue($"urn:uuid:{reference.Split('/')[^1]}", out var lookalike) && lookalike != named)
                {
                    // Not a match by the rules, but an entry whose uuid is the cited id: the reference most likely meant it.
                    yield return ValidationIssue.Error(refPath, IssueType.Invalid, $"The reference {reference} names a {named}, but the Bundle entry urn:uuid:{reference.Split('/')[^1]} is a {lookalike}");
                }
                else if (type == Bundle.BundleType.Document)
                {
                    yield return ValidationIssue.Error(refPath, IssueType.NotFound, $"Can't find '{reference}' in the document Bundle: a document carries every resource it cites");
                }
            }
        }
    }

    /// <summary>The absolute URL a reference points at, read against the citing entry's fullUrl; null when it cannot be resolved here.</summary>
    private static string? Target(string reference, string? citingFullUrl)
    {
        var bare = WithoutVersion(reference);
        if (ContentRules.IsAbsolute(bare))
        {
            return bare;
        }
        return citingFullUrl is not null && Restful(citingFullUrl) is { } restful && TypeNamed(bare) is not null ? restful.Base + bare : null;
    }

    private static string WithoutVersion(string url) => HistoryPattern().Replace(url, "");

    private static string? TypeNamed(string reference)
    {
        var parts = WithoutVersion(reference).Split('/');
        return parts.Length >= 2 && ModelInfo.IsKnownResource(parts[^2]) ? parts[^2] : null;
    }

    private static (string Base, string Type, string Id)? Restful(string fullUrl)
    {
        var match = RestfulPattern().Match(WithoutVersion(fullUrl));
        return match.Success && ModelInfo.IsKnownResource(match.Groups["type"].Value)
            ? (match.Groups["base"].Value, match.Groups["type"].Value, match.Groups["id"].Value)
            : null;
    }

    [GeneratedRegex(@"^(?<base>https?://.+/)(?<type>[A-Z][A-Za-z]+)/(?<id>[A-Za-z0-9\-\.]{1,64})$")]
    private static partial Regex RestfulPattern();

    [GeneratedRegex(@"/_history/[^/]+$")]
    private static partial Regex HistoryPattern();
}

/// <summary>An entry as the Bundle rules see it: where it claims to be, what it carries, and every reference it makes (with its location).</summary>
public sealed record BundleEntryFacts(string? FullUrl, Bundle.HTTPVerb? Method, string? ResourceType, string? ResourceId, bool SearchMatch,
    IReadOnlyList<(string Path, string Reference, string? Type)> References);
