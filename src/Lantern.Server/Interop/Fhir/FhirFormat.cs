using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Lantern.Server.Interop.Fhir.Validation;

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

    public static IResult Outcome(int status, OperationOutcome.IssueType type, string diagnostics, params string[] expression) =>
        Outcome(status, [Issue(type, diagnostics, expression)]);

    public static IResult Outcome(int status, IEnumerable<(string Expression, string Message)> issues) =>
        Outcome(status, issues.Select(i => Issue(OperationOutcome.IssueType.Invalid, i.Message, i.Expression)));

    public static IResult Outcome(int status, IEnumerable<OperationOutcome.IssueComponent> issues)
    {
        var outcome = new OperationOutcome();
        outcome.Issue.AddRange(issues);
        return new FhirResult(outcome, status, null);
    }

    /// <summary>
    /// The request body as a <typeparamref name="T"/>, parsed and then validated (base R4, claimed UK Core profiles,
    /// Lantern's rules); otherwise the OperationOutcome to answer with: 400 when it does not parse, 422 when it
    /// parses but is not valid.
    /// </summary>
    public static async Task<(T? Resource, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancel) where T : Resource
    {
        var (resource, problem) = await ParseAsync<T>(request, cancel);
        if (resource is null)
        {
            return (null, problem);
        }
        var issues = request.HttpContext.RequestServices.GetRequiredService<FhirValidation>().Validate(resource);
        return issues.Any(i => i.IsError()) ? (null, Outcome(StatusCodes.Status422UnprocessableEntity, issues)) : (resource, null);
    }

    public static bool IsBlank(byte[] body) => body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n');

    /// <summary>The request body as a <typeparamref name="T"/>, parsed only; otherwise the OperationOutcome to answer with.</summary>
    public static async Task<(T? Resource, IResult? Problem)> ParseAsync<T>(HttpRequest request, CancellationToken cancel) where T : Resource
    {
        var body = await BodyAsync(request, cancel);
        if (IsBlank(body))
        {
            return (null, Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, $"Send a {typeof(T).Name} resource in the body"));
        }
        var (parsed, issues) = Parse(body, request.ContentType);
        return parsed switch
        {
            null => (null, Outcome(StatusCodes.Status400BadRequest, issues)),
            T typed => (typed, null),
            _ => (null, Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"Expected a {typeof(T).Name} resource, got {parsed.TypeName}", "resourceType")),
        };
    }

    /// <summary>
    /// The body as UTF-8 bytes, as sent: JSON is parsed from them directly, without a UTF-16 copy of the whole
    /// text (a large transaction Bundle would otherwise be held twice, at twice the size).
    /// </summary>
    public static async Task<byte[]> BodyAsync(HttpRequest request, CancellationToken cancel)
    {
        // Sized from Content-Length only up to 16 MiB: a declared length is a claim, not data, and must not reserve memory by itself.
        using var buffer = new MemoryStream(request.ContentLength is > 0 and <= 16 << 20 ? (int)request.ContentLength : 64 << 10);
        await request.Body.CopyToAsync(buffer, cancel);
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    /// <summary>FHIR XML (when the content type says so) or JSON, parsed strictly; otherwise why not, by element where the parser can say.</summary>
    public static (Resource? Resource, IReadOnlyList<OperationOutcome.IssueComponent> Issues) Parse(byte[] body, string? contentType)
    {
        try
        {
            if (contentType?.Contains("xml", StringComparison.OrdinalIgnoreCase) == true)
            {
                var text = Encoding.UTF8.GetString(body);
                CheckWellFormed(text);
                return (Xml.DeserializeResource(text), []);
            }
            var bom = body.AsSpan().StartsWith("\uFEFF"u8);
            var reader = new System.Text.Json.Utf8JsonReader(body.AsSpan(bom ? 3 : 0));
            return (Json.DeserializeResource(ref reader), []);
        }
        catch (DeserializationFailedException e)
        {
            return (null, e.Exceptions.Select(x => Issue(OperationOutcome.IssueType.Invalid, x.Message, Where(x))).ToList());
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or System.Xml.XmlException)
        {
            return (null, [Issue(OperationOutcome.IssueType.Structure, e.Message)]);
        }
    }

    /// <summary>
    /// Plain XML rules first: the SDK's reader quietly expands HTML entities XML never declared (&amp;reg;), and FHIR
    /// XML may carry no DTD (refusing one also shuts out entity-expansion attacks).
    /// </summary>
    private static void CheckWellFormed(string body)
    {
        using var reader = System.Xml.XmlReader.Create(new StringReader(body), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null });
        while (reader.Read())
        {
        }
    }

    public static OperationOutcome.IssueComponent Issue(OperationOutcome.IssueType type, string diagnostics, params string[] expression) =>
        new() { Severity = OperationOutcome.IssueSeverity.Error, Code = type, Diagnostics = diagnostics, Expression = expression.Where(e => e.Length > 0).ToList() };

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
