using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>
/// Validates a parsed resource against base R4 (structure, cardinality, invariants, required bindings to value sets
/// the SDK can expand), against the UK Core profiles it claims in <c>meta.profile</c>, and against Lantern's own
/// Bundle and content rules. Profiles Lantern does not hold are reported as warnings: a resource may claim a
/// profile of another jurisdiction, and Lantern still checks it against base R4.
/// </summary>
public sealed class FhirValidation
{
    private readonly Validator validator;
    private readonly FhirValidationOptions options;

    public FhirValidation(IOptions<FhirValidationOptions> options)
    {
        this.options = options.Value;
        validator = FhirConformance.For(this.options.AllowedExtensionDomains);
    }

    /// <summary>
    /// Every issue found, errors and warnings; the resource is acceptable when none is an error. A named
    /// <paramref name="profile"/> is checked as well, and must be one Lantern holds.
    /// </summary>
    public IReadOnlyList<OperationOutcome.IssueComponent> Validate(Resource resource, string? profile = null)
    {
        if (profile is not null && !FhirConformance.HoldsProfile(profile))
        {
            return [ValidationIssue.Error("profile", IssueType.NotSupported, $"Lantern holds no profile '{profile}'")];
        }
        if (profile is not null)
        {
            // Checked as if the resource claimed it (on a copy: the caller's resource is left as sent).
            resource = (Resource)resource.DeepCopy();
            resource.Meta ??= new Meta();
            resource.Meta.Profile = resource.Meta.Profile.Append(profile).ToList();
        }
        return resource is Bundle { Type: Bundle.BundleType.Transaction or Bundle.BundleType.Batch } bundle && profile is null
            ? ValidateTransaction(TransactionBundle.Of(bundle)).Issues
            : Checked(resource, resource.TypeName);
    }

    /// <summary>
    /// A transaction or batch, entry by entry: each entry is parsed, its resource validated and what the Bundle rules
    /// need of it kept, and then it is let go (so a Bundle of any size is never held parsed whole). Entries are
    /// checked side by side (a Bundle validated whole costs the SDK time that grows with the square of its size, as
    /// each reference is sought among all entries); the Bundle's own elements are validated on a shell without them,
    /// and Lantern's Bundle rules on every entry's facts together. Entries that do not parse are given apart (a 400,
    /// not a 422), and the facts only when every entry parsed.
    /// </summary>
    public TransactionCheck ValidateTransaction(TransactionBundle bundle)
    {
        var header = bundle.Header;
        var shell = TransactionBundle.WithoutEntries(header);
        var shells = new Bundle.EntryComponent[bundle.Count];
        var facts = new BundleEntryFacts[bundle.Count];
        var entryIssues = new IReadOnlyList<OperationOutcome.IssueComponent>[bundle.Count];
        var unparsed = new IReadOnlyList<OperationOutcome.IssueComponent>[bundle.Count];
        Parallel.For(0, bundle.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (entry, problems) = bundle.TryEntry(i);
            unparsed[i] = problems;
            if (entry is null)
            {
                return;
            }
            var at = $"Bundle.entry[{i}]";
            entryIssues[i] = entry.Resource is { } resource ? Checked(resource, $"{at}.resource") : [];
            facts[i] = BundleRules.Facts(entry, at);
            // An empty Parameters stands in for each resource: it has no required elements, and bdl-3c wants one there.
            shells[i] = new Bundle.EntryComponent
            {
                FullUrl = entry.FullUrl, Request = entry.Request, Response = entry.Response, Search = entry.Search, Resource = entry.Resource is null ? null : new Parameters(),
            };
        });
        var parseIssues = unparsed.SelectMany(p => p).ToList();
        if (parseIssues.Count > 0)
        {
            return new TransactionCheck(parseIssues, [], null);
        }
        shell.Entry.AddRange(shells);
        var issues = validator.Validate(shell).Issue.ToList();
        issues.AddRange(entryIssues.SelectMany(e => e));
        issues.AddRange(BundleRules.Check(header.Type, header.Link, facts, "Bundle"));
        return new TransactionCheck([], issues, facts);
    }

    /// <summary>Profiles the resource claims that Lantern does not hold: checked against base R4 only, and said.</summary>
    private static IEnumerable<OperationOutcome.IssueComponent> UnheldProfiles(FhirTree.Node node) =>
        node.Resource.Meta?.Profile.Select((profile, i) => (profile, i)).Where(p => p.profile is not null && !FhirConformance.HoldsProfile(p.profile))
            .Select(p => ValidationIssue.Warning($"{node.Path}.meta.profile[{p.i}]", IssueType.NotSupported,
                $"Unable to resolve reference to profile '{p.profile}': Lantern does not hold it, so this resource was checked against base R4 only")) ?? [];

    /// <summary>The SDK's checks and Lantern's rules on one resource, issues located from <paramref name="path"/>.</summary>
    private List<OperationOutcome.IssueComponent> Checked(Resource resource, string path)
    {
        var issues = validator.Validate(resource).Issue.ToList();
        if (path != resource.TypeName)
        {
            foreach (var issue in issues)
            {
                issue.Expression = issue.Expression.Select(e => e is not null && e.StartsWith(resource.TypeName, StringComparison.Ordinal) ? path + e[resource.TypeName.Length..] : e).ToList();
            }
        }
        foreach (var node in FhirTree.Resources(resource, path))
        {
            issues.AddRange(UnheldProfiles(node));
            issues.AddRange(ContentRules.Check(node, options));
            if (node.Resource is Bundle bundle)
            {
                issues.AddRange(BundleRules.Check(bundle, node.Path));
            }
        }
        return issues;
    }

}

/// <summary>
/// What checking a transaction or batch found: entries that do not parse, validation issues (errors and warnings), and,
/// when every entry parsed, each entry's facts.
/// </summary>
public sealed record TransactionCheck(IReadOnlyList<OperationOutcome.IssueComponent> ParseIssues, IReadOnlyList<OperationOutcome.IssueComponent> Issues,
    IReadOnlyList<BundleEntryFacts>? Entries);
