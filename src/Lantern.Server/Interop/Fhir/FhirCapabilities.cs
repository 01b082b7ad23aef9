using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Routing;

namespace Lantern.Server.Interop.Fhir;

/// <summary>Endpoint metadata: this endpoint is the given FHIR interaction on the given resource type.</summary>
public sealed record FhirInteraction(string ResourceType, CapabilityStatement.TypeRestfulInteraction Interaction)
{
    /// <summary>The base endpoint (POST /fhir: transaction and batch Bundles), whose entries are checked one by one.</summary>
    public const string SystemLevel = "";
}

/// <summary>Endpoint metadata: this endpoint is the named FHIR operation ("*": on every type the statement lists).</summary>
public sealed record FhirOperation(string ResourceType, string Name, string Definition);

/// <summary>A search parameter an endpoint really implements (its handler reads the same table).</summary>
public sealed record FhirSearchParameter(string Name, SearchParamType Type, string Documentation);

/// <summary>
/// The CapabilityStatement, built from the FHIR endpoints that are actually mapped and the search parameters
/// their handlers read: what the server says it does is what it does.
/// </summary>
public static class FhirCapabilities
{
    public static CapabilityStatement Build(EndpointDataSource endpoints, IReadOnlyDictionary<string, IReadOnlyList<FhirSearchParameter>> searchParameters, DateTimeOffset now, string serverBase)
    {
        // An interaction mapped for "*" is offered on every type the FHIR store keeps.
        var interactions = endpoints.Endpoints.SelectMany(e => e.Metadata.GetOrderedMetadata<FhirInteraction>())
            .SelectMany(i => i.ResourceType == "*" ? searchParameters.Keys.Where(t => t != "Patient").Select(t => i with { ResourceType = t }) : [i])
            .Distinct().ToList();
        var operations = endpoints.Endpoints.SelectMany(e => e.Metadata.GetOrderedMetadata<FhirOperation>()).Distinct().ToList();
        var rest = new CapabilityStatement.RestComponent { Mode = CapabilityStatement.RestfulCapabilityMode.Server, Security = Security(serverBase) };
        if (interactions.Any(i => i.ResourceType == FhirInteraction.SystemLevel))
        {
            rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction });
            rest.Interaction.Add(new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch });
            interactions.RemoveAll(i => i.ResourceType == FhirInteraction.SystemLevel);
        }
        foreach (var type in interactions.Select(i => i.ResourceType).Distinct().Order(StringComparer.Ordinal))
        {
            var resource = new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
                ReadHistory = true,
                UpdateCreate = false,
                ConditionalCreate = type == "Patient",
                ConditionalUpdate = false,
                ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
            };
            if (type == "Patient")
            {
                resource.SupportedProfile = [UkCore.PatientProfile];
            }
            foreach (var interaction in interactions.Where(i => i.ResourceType == type).Select(i => i.Interaction).Distinct().Order())
            {
                resource.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = interaction });
            }
            foreach (var operation in operations.Where(o => o.ResourceType == type || o.ResourceType == "*"))
            {
                resource.Operation.Add(new CapabilityStatement.OperationComponent { Name = operation.Name, Definition = operation.Definition });
            }
            foreach (var parameter in searchParameters.GetValueOrDefault(type) ?? [])
            {
                resource.SearchParam.Add(new CapabilityStatement.SearchParamComponent { Name = parameter.Name, Type = parameter.Type, Documentation = parameter.Documentation });
            }
            rest.Resource.Add(resource);
        }
        return new CapabilityStatement
        {
            Url = serverBase + "/fhir/metadata",
            Status = PublicationStatus.Active,
            Date = now.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "Lantern EPR" },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json", "xml", FhirFormat.JsonType, FhirFormat.XmlType],
            Rest = [rest],
        };
    }

    /// <summary>SMART on FHIR: OAuth 2.0 with the authorize and token endpoints (also at /fhir/.well-known/smart-configuration).</summary>
    private static CapabilityStatement.SecurityComponent Security(string serverBase)
    {
        var uris = new Extension { Url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris" };
        uris.Extension.Add(new Extension("authorize", new FhirUri(serverBase + Lantern.Server.Security.OAuth.SmartAppLaunch.AuthorizePath)));
        uris.Extension.Add(new Extension("token", new FhirUri(serverBase + Lantern.Server.Security.OAuth.OAuthRegistration.TokenPath)));
        return new CapabilityStatement.SecurityComponent
        {
            Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
            Description = "OAuth 2.0 (SMART on FHIR): client credentials with system/ scopes, or authorization code with PKCE for apps staff launch (user/ scopes)",
            Extension = [uris],
        };
    }
}
