using Hl7.Fhir.Model;

namespace Lantern.Server.Interop.Fhir.Validation;

/// <summary>A walk over a parsed resource, giving each element with its FHIRPath-style location, for Lantern's own rules.</summary>
internal static class FhirTree
{
    /// <summary>A resource met on the walk: the root, a Bundle entry, or a contained resource (with its container).</summary>
    public sealed record Node(string Path, Resource Resource, Resource? Container);

    /// <summary>The resource and every resource inside it (contained, Bundle entries, Parameters values).</summary>
    public static IEnumerable<Node> Resources(Resource root, string? path = null)
    {
        var queue = new Queue<Node>([new Node(path ?? root.TypeName, root, null)]);
        while (queue.TryDequeue(out var node))
        {
            yield return node;
            foreach (var (childPath, child) in Elements(node.Resource, node.Path).Where(e => e.Node is Resource))
            {
                // Only a DomainResource's contained list makes resources "contained"; entries and parameters stand alone.
                var contained = childPath.StartsWith($"{node.Path}.contained[", StringComparison.Ordinal);
                queue.Enqueue(new Node(childPath, (Resource)child, contained ? node.Container ?? node.Resource : null));
            }
        }
    }

    /// <summary>Every element under <paramref name="root"/>, depth first; nested resources are given but not entered.</summary>
    public static IEnumerable<(string Path, Base Node)> Elements(Base root, string path)
    {
        foreach (var (name, value) in root.EnumerateElements())
        {
            // A repeating element comes as a list (indexed in the path), a single one as the element itself.
            var (items, isList) = value is IEnumerable<Base> list ? (list.ToList(), true) : (value is Base one ? [one] : [], false);
            for (var i = 0; i < items.Count; i++)
            {
                var childPath = isList ? $"{path}.{name}[{i}]" : $"{path}.{name}";
                yield return (childPath, items[i]);
                if (items[i] is Resource)
                {
                    continue;
                }
                foreach (var descendant in Elements(items[i], childPath))
                {
                    yield return descendant;
                }
            }
        }
    }
}
