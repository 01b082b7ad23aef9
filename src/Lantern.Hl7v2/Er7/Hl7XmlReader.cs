using System.Xml;
using System.Xml.Linq;

namespace Lantern.Hl7v2.Er7;

/// <summary>
/// HL7 v2 XML encoding (v2.xml): the same message as elements, read into the same <see cref="Hl7Message"/> as ER7.
/// A segment is an element named by its id (MSH, PID…) wherever it sits among group elements (ADT_A17.PATIENT);
/// its fields are SEG.n children, repeated for repetitions; components and sub-components are TYPE.n children.
/// Values are escaped for ER7 with the standard delimiters, so the message can be written, stored and replayed as ER7.
/// </summary>
public static class Hl7XmlReader
{
    /// <summary>Whether <paramref name="text"/> looks like XML rather than ER7 (after any byte-order mark and spaces).</summary>
    public static bool IsXml(string text) => text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith('<');

    public static Hl7Message Parse(string text)
    {
        XDocument document;
        try
        {
            // A DOCTYPE is skipped, never fetched or expanded (some senders still name their DTD): no external
            // entities, no entity-expansion attacks; an entity it would have defined is an error.
            using var reader = XmlReader.Create(new StringReader(text.TrimStart('\uFEFF')), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new Er7Exception($"Not well-formed XML: {e.Message}");
        }
        var d = Er7Delimiters.Standard;
        var segments = document.Root!.DescendantsAndSelf().Where(e => Er7Parser.IsSegmentId(e.Name.LocalName)).ToList();
        if (segments.Count == 0 || segments[0].Name.LocalName != "MSH")
        {
            throw new Er7Exception("An HL7 v2 XML message starts with an MSH element");
        }
        var message = new Hl7Message(d, []);
        foreach (var element in segments)
        {
            var id = element.Name.LocalName;
            if (id == "MSH" && message.Segments.Count > 0)
            {
                throw new Er7Exception("A message holds one MSH segment, at its start");
            }
            var segment = id == "MSH" ? message.AddHeader() : message.Add(id);
            foreach (var field in element.Elements().Select(f => (Element: f, Number: Number(f, id))).Where(f => f.Number is > 0).GroupBy(f => f.Number!.Value))
            {
                if (segment.IsDelimiterField(field.Key))
                {
                    continue; // MSH-1 and MSH-2: this reader writes the standard delimiters
                }
                segment.SetRaw(field.Key, string.Join(d.Repetition, field.Select(f => Value(f.Element, d, d.Component, depth: 0))));
            }
        }
        return message;
    }

    /// <summary>n of an element named PREFIX.n (PID.5, XPN.1), when its prefix is <paramref name="owner"/> or any type; null otherwise.</summary>
    private static int? Number(XElement element, string? owner = null)
    {
        var name = element.Name.LocalName;
        var dot = name.LastIndexOf('.');
        return dot > 0 && (owner is null || name[..dot] == owner) && int.TryParse(name.AsSpan(dot + 1), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>An element's value in ER7: its text escaped, or its numbered children joined by the next separator down.</summary>
    private static string Value(XElement element, Er7Delimiters d, char separator, int depth)
    {
        var parts = element.Elements().Select(c => (Element: c, Number: Number(c))).Where(c => c.Number is > 0).ToList();
        if (parts.Count == 0 || depth >= 2)
        {
            return Er7Escaping.Escape(element.Value, d);
        }
        var values = new string[parts.Max(p => p.Number!.Value)];
        Array.Fill(values, "");
        foreach (var (child, number) in parts)
        {
            values[number!.Value - 1] = Value(child, d, d.SubComponent, depth + 1);
        }
        return string.Join(separator, values);
    }
}
