using Hl7.Fhir.Model;
using Lantern.Server.Security;
using Interaction = Hl7.Fhir.Model.CapabilityStatement.TypeRestfulInteraction;

namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>
/// <c>POST /fhir/{type}/$validate</c>: checks a resource (or a Parameters holding one) the way a create would, and
/// stores nothing. Optional <c>profile</c> names a profile to check it against as well. Always an OperationOutcome:
/// errors mean the server would refuse it.
/// </summary>
public static class FhirValidateOperation
{
    public const string Definition = "http://hl7.org/fhir/OperationDefinition/Resource-validate";

    public static RouteGroupBuilder MapFhirValidate(this RouteGroupBuilder fhir)
    {
        // Reads and stores no patient record; a system may validate what its scopes let it create.
        fhir.MapPost("/{type}/$validate", ValidateAsync)
            .RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics))
            .WithMetadata(new FhirInteraction("*", Interaction.Create), new FhirOperation("*", "validate", Definition));
        return fhir;
    }

    private static async Task<IResult> ValidateAsync(string type, HttpRequest request, FhirValidation validation, CancellationToken cancel)
    {
        if (!ModelInfo.IsKnownResource(type))
        {
            return FhirFormat.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotSupported, $"'{type}' is not an R4 resource type");
        }
        var (parsed, parseIssues) = FhirFormat.Parse(await FhirFormat.BodyAsync(request, cancel), request.ContentType);
        var resource = parsed is Parameters parameters && type != "Parameters" ? parameters.Parameter.FirstOrDefault(p => p.Name == "resource")?.Resource : parsed;
        if (resource is null)
        {
            return FhirFormat.Outcome(StatusCodes.Status200OK, parseIssues.Count > 0 ? parseIssues
                : [ValidationIssue.Error("resourceType", OperationOutcome.IssueType.Required, $"Send a {type} resource, or Parameters with it as 'resource'")]);
        }
        if (resource.TypeName != type)
        {
            return FhirFormat.Outcome(StatusCodes.Status200OK, [ValidationIssue.Error("resourceType", OperationOutcome.IssueType.Invalid, $"Expected a {type} resource, got {resource.TypeName}")]);
        }
        var issues = validation.Validate(resource, request.Query["profile"].FirstOrDefault());
        return FhirFormat.Outcome(StatusCodes.Status200OK, issues.Count > 0 ? issues
            : [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Information, Code = OperationOutcome.IssueType.Informational, Diagnostics = "No issues found" }]);
    }
}
