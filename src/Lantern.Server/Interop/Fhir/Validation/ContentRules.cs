using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Hl7.Fhir.Model;
using Lantern.Server.Patients;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>
/// Element rules Lantern adds to the profile checks: local references that find their contained resource, attachments
/// whose stated size and hash agree with their data, narrative that is well-formed XHTML with links a browser can
/// follow, markdown without raw HTML, and NHS numbers that pass their Modulus 11 check.
/// </summary>
internal static partial class ContentRules
{
    private static readonly string[] HyperlinkSchemes = ["http", "https", "ftp", "mailto", "tel"];

    public static IEnumerable<OperationOutcome.IssueComponent> Check(FhirTree.Node node, FhirValidationOptions options)
    {
        foreach (var issue in Canonicals(node))
        {
            yield return issue;
        }
        foreach (var (path, element) in FhirTree.Elements(node.Resource, node.Path))
        {
            var issue = element switch
            {
                ResourceReference { Reference: { Length: > 1 } reference } when reference.StartsWith('#') => ContainedReference(node, path, reference[1..]),
                Attachment attachment => AttachmentData(path, attachment),
                Narrative narrative => NarrativeXhtml(path, narrative.Div),
                Markdown { Value: { } text } when HtmlTag().Match(text) is { Success: true } tag => options.HtmlInMarkdownIsError
                    ? ValidationIssue.Error(path, IssueType.Invalid, $"The markdown contains an HTML tag starting at '{tag.Value}'")
                    : ValidationIssue.Warning(path, IssueType.Informational, $"The markdown contains an HTML tag starting at '{tag.Value}': it will be shown escaped"),
                Coding { System: { } system, Code: { } code } when KnownCodes.IsUnknown(system, code) =>
                    // A warning, as base R4 does not bind most coded elements: Synthea's "vital-sign" category is kept, and said.
                    ValidationIssue.Warning($"{path}.code", IssueType.CodeInvalid, $"Unknown code '{code}' in the code system '{system}'"),
                Identifier { System: UkCore.NhsNumberSystem, Value: { } value } when !NhsNumber.IsValid(value) =>
                    ValidationIssue.Error($"{path}.value", IssueType.Invalid, $"'{value}' is not a valid NHS number: it must be 10 digits passing the Modulus 11 check"),
                _ => null,
            };
            if (issue is not null)
            {
                yield return issue;
            }
        }
    }

    /// <summary>A conformance resource's canonical URL, and the code systems a ValueSet draws on, are absolute URLs.</summary>
    private static IEnumerable<OperationOutcome.IssueComponent> Canonicals(FhirTree.Node node)
    {
        if (node.Resource is IConformanceResource { Url: { } url } && !IsAbsolute(url))
        {
            yield return ValidationIssue.Error($"{node.Path}.url", IssueType.Invalid, $"Canonical URL '{url}' must be absolute");
        }
        if (node.Resource is ValueSet { Compose: { } compose })
        {
            foreach (var (include, i) in compose.Include.Select((include, i) => (include, i)).Where(x => x.include.System is { } system && !IsAbsolute(system)))
            {
                yield return ValidationIssue.Error($"{node.Path}.compose.include[{i}].system", IssueType.Invalid, $"Code system '{include.System}' must be named by its absolute URL");
            }
        }
    }

    /// <summary>An absolute URI (http, urn:uuid, …); a path starting with / is not, though .NET reads it as a file URI.</summary>
    internal static bool IsAbsolute(string url) => !url.StartsWith('/') && Uri.TryCreate(url, UriKind.Absolute, out _);

    /// <summary>ref-1, done here rather than by the SDK, which also fails it on identifier-only references.</summary>
    private static OperationOutcome.IssueComponent? ContainedReference(FhirTree.Node node, string path, string id) =>
        (node.Container ?? node.Resource) is DomainResource container && container.Contained.Any(c => c.Id == id)
            ? null
            : ValidationIssue.Error(path, IssueType.NotFound, $"The local reference '#{id}' names no contained resource (ref-1)");

    private static OperationOutcome.IssueComponent? AttachmentData(string path, Attachment attachment)
    {
        if (attachment.Data is not { } data)
        {
            return null;
        }
        // Read as the element the parser made: R4's unsignedInt, which the SDK's shared Attachment.Size (integer64) cannot cast.
        if (attachment.TryGetValue("size", out var stated) && stated is PrimitiveType { JsonValue: { } raw }
            && Convert.ToInt64(raw, System.Globalization.CultureInfo.InvariantCulture) is var size && size != data.Length)
        {
            return ValidationIssue.Error($"{path}.size", IssueType.Invalid, $"Stated attachment size {size} does not match the actual size {data.Length}");
        }
#pragma warning disable CA5350 // FHIR defines Attachment.hash as SHA-1: this checks integrity, it protects nothing
        if (attachment.Hash is { } hash && !SHA1.HashData(data).AsSpan().SequenceEqual(hash))
#pragma warning restore CA5350
        {
            // A warning: published examples carry placeholder hashes, and the data itself is what is stored and shown.
            return ValidationIssue.Warning($"{path}.hash", IssueType.Invalid, "Stated attachment hash does not match the SHA-1 of its data");
        }
        return null;
    }

    private static OperationOutcome.IssueComponent? NarrativeXhtml(string path, string? div)
    {
        if (string.IsNullOrEmpty(div))
        {
            return null;
        }
        XElement xhtml;
        try
        {
            xhtml = XElement.Parse(div);
        }
        catch (XmlException e)
        {
            return ValidationIssue.Error($"{path}.div", IssueType.Invalid, $"The narrative is not well-formed XHTML: {e.Message}");
        }
        foreach (var link in xhtml.Descendants().Where(e => e.Name.LocalName == "a"))
        {
            if (link.Attribute("href")?.Value is { } href && Uri.TryCreate(href, UriKind.Absolute, out var uri)
                && !href.StartsWith('/') && !HyperlinkSchemes.Contains(uri.Scheme))
            {
                return ValidationIssue.Error($"{path}.div", IssueType.Invalid, $"Hyperlink scheme '{uri.Scheme}' in '{href}' is not one a reader can follow");
            }
        }
        return null;
    }

    [GeneratedRegex(@"<[A-Za-z][A-Za-z0-9]*")]
    private static partial Regex HtmlTag();
}
