using System.Text.RegularExpressions;
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
public sealed partial class FhirValidation
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
        var issues = validator.Validate(resource).Issue.Select(Softened).ToList();
        foreach (var node in FhirTree.Resources(resource))
        {
            issues.AddRange(ContentRules.Check(node, options));
            if (node.Resource is Bundle bundle)
            {
                issues.AddRange(BundleRules.Check(bundle, node.Path));
            }
        }
        return issues;
    }

    /// <summary>
    /// A claimed profile Lantern does not hold becomes a warning. Only then: a profile Lantern holds but failed to
    /// load stays an error, so a resource is never accepted unchecked.
    /// </summary>
    private static OperationOutcome.IssueComponent Softened(OperationOutcome.IssueComponent issue)
    {
        if (issue.IsError() && UnresolvedProfile().Match(issue.Details?.Text ?? issue.Diagnostics ?? "") is { Success: true } unresolved
            && !FhirConformance.HoldsProfile(unresolved.Groups["profile"].Value))
        {
            issue.Severity = OperationOutcome.IssueSeverity.Warning;
            issue.Code = IssueType.NotSupported;
        }
        return issue;
    }

    [GeneratedRegex("^Unable to resolve reference to profile '(?<profile>[^']+)'")]
    private static partial Regex UnresolvedProfile();
}
