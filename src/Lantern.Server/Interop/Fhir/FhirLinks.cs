using System.Globalization;
using Hl7.Fhir.Model;

namespace Lantern.Server.Interop.Fhir;

/// <summary>The absolute URLs and Bundle entries every FHIR answer builds the same way.</summary>
public static class FhirLinks
{
    public static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir";

    /// <summary>A search result entry, its fullUrl the resource's own address.</summary>
    public static Bundle.EntryComponent Entry(HttpRequest request, Resource resource, Bundle.SearchEntryMode mode = Bundle.SearchEntryMode.Match) => new()
    {
        FullUrl = $"{Base(request)}/{resource.TypeName}/{resource.Id}",
        Resource = resource,
        Search = new Bundle.SearchComponent { Mode = mode },
    };

    /// <summary>This request's URL (under <paramref name="path"/>) for another page: every parameter kept, _page replaced.</summary>
    public static string Page(HttpRequest request, string path, int page)
    {
        var query = request.Query.Where(q => q.Key != "_page").SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"_page={page.ToString(CultureInfo.InvariantCulture)}");
        return $"{Base(request)}/{path}?{string.Join('&', query)}";
    }
}
