using Hl7.Fhir.Model;

namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>Issues raised by Lantern's own rules, in the shape the Firely validator gives its own.</summary>
internal static class ValidationIssue
{
    public static OperationOutcome.IssueComponent Error(string path, OperationOutcome.IssueType code, string text) =>
        Make(OperationOutcome.IssueSeverity.Error, path, code, text);

    public static OperationOutcome.IssueComponent Warning(string path, OperationOutcome.IssueType code, string text) =>
        Make(OperationOutcome.IssueSeverity.Warning, path, code, text);

    private static OperationOutcome.IssueComponent Make(OperationOutcome.IssueSeverity severity, string path, OperationOutcome.IssueType code, string text) => new()
    {
        Severity = severity,
        Code = code,
        Details = new CodeableConcept { Text = text },
        Expression = [path],
    };

    public static bool IsError(this OperationOutcome.IssueComponent issue) =>
        issue.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal;
}
