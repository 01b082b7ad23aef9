using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Lantern.Server.Interop.Fhir;

/// <summary>
/// FHIR R4 on the wire: JSON by default, XML when asked for (<c>_format</c> or <c>Accept</c>), the FHIR media
/// types, and every refusal as an OperationOutcome naming the element.
/// </summary>
public static class FhirFormat
{
    public const string JsonType = "application/fhir+json";
    public const string XmlType = "application/fhir+xml";

    private static readonly FhirJsonDeserializer Json = new();
    private static readonly FhirXmlDeserializer Xml = new();

    /// <summary>A resource as the answer, with ETag and Location when given.</summary>
    public static IResult Resource(Resource resource, int status = StatusCodes.Status200OK, string? location = null) =>
        new FhirResult(resource, status, location);

    public static IResult Outcome(int status, OperationOutcome.IssueType type, string diagnostics, params string[] expression)
    {
        var outcome = new OperationOutcome();
        outcome.Issue.Add(new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = type,
            Diagnostics = diagnostics,
            Expression = expression,
        });
        return new FhirResult(outcome, status, null);
    }

    public static IResult Outcome(int status, IEnumerable<(string Expression, string Message)> issues)
    {
        var outcome = new OperationOutcome();
        foreach (var (expression, message) in issues)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = OperationOutcome.IssueType.Invalid,
                Diagnostics = message,
                Expression = [expression],
            });
        }
        return new FhirResult(outcome, status, null);
    }

    /// <summary>The request body as a <typeparamref name="T"/>; otherwise the OperationOutcome to answer with.</summary>
    public static async Task<(T? Resource, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancel) where T : Resource
    {
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(cancel);
        }
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, $"Send a {typeof(T).Name} resource in the body"));
        }
        try
        {
            var xml = request.ContentType?.Contains("xml", StringComparison.OrdinalIgnoreCase) == true;
            Resource parsed = xml ? Xml.DeserializeResource(body) : Json.DeserializeResource(body);
            return parsed is T typed
                ? (typed, null)
                : (null, Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"Expected a {typeof(T).Name} resource, got {parsed.TypeName}", "resourceType"));
        }
        catch (DeserializationFailedException e)
        {
            return (null, Outcome(StatusCodes.Status400BadRequest, e.Exceptions.Select(x => (Where(x), x.Message))));
        }
        catch (FormatException e)
        {
            return (null, Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, e.Message));
        }
    }

    private static string Where(Exception e) => e is Hl7.Fhir.Validation.CodedValidationException coded && coded.InstancePath is { } path ? path : "";

    private static bool WantsXml(HttpRequest request)
    {
        var format = request.Query["_format"].ToString();
        return format.Length > 0 ? format.Contains("xml", StringComparison.OrdinalIgnoreCase)
            : request.Headers.Accept.ToString().Contains("xml", StringComparison.OrdinalIgnoreCase)
              && !request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class FhirResult(Resource resource, int status, string? location) : IResult
    {
        public async System.Threading.Tasks.Task ExecuteAsync(HttpContext http)
        {
            var xml = WantsXml(http.Request);
            http.Response.StatusCode = status;
            http.Response.ContentType = (xml ? XmlType : JsonType) + "; charset=utf-8";
            if (resource.Meta?.VersionId is { } version)
            {
                http.Response.Headers.ETag = $"W/\"{version}\"";
            }
            if (location is not null)
            {
                http.Response.Headers.Location = location;
            }
            await http.Response.WriteAsync(xml ? resource.ToXml() : resource.ToJson(), http.RequestAborted);
        }
    }
}
