using System.Text;

namespace Lantern.Hl7v2.Er7;

/// <summary>
/// An HL7 v2 message: its segments in order, with the delimiters it declared. Written back with
/// <see cref="ToEr7"/> exactly as read (segments ended by CR, as the standard requires).
/// </summary>
public sealed class Hl7Message(Er7Delimiters delimiters, List<Hl7Segment> segments)
{
    public Er7Delimiters Delimiters { get; } = delimiters;

    public IReadOnlyList<Hl7Segment> Segments => segments;

    public Hl7Segment Header => segments[0];

    /// <summary>MSH-9: message code and trigger event, e.g. ("ADT", "A01").</summary>
    public (string Code, string Trigger) Type => (Header.Value(9, 1), Header.Value(9, 2));

    /// <summary>MSH-10, the sender's message control id: the same message sent again carries the same one.</summary>
    public string ControlId => Header.Value(10);

    public string SendingApplication => Header.Value(3);

    public string SendingFacility => Header.Value(4);

    /// <summary>MSH-12.</summary>
    public string Version => Header.Value(12);

    /// <summary>A message as received: HL7 v2 XML when it is XML (<see cref="Hl7XmlReader"/>), ER7 otherwise.</summary>
    public static Hl7Message Parse(string text) => Hl7XmlReader.IsXml(text) ? Hl7XmlReader.Parse(text) : Er7Parser.Parse(text);

    /// <summary>A message with just its MSH (MSH-1 and MSH-2 from <paramref name="delimiters"/>); add segments with <see cref="Add"/>.</summary>
    public static Hl7Message Create(Er7Delimiters? delimiters = null)
    {
        var message = new Hl7Message(delimiters ?? Er7Delimiters.Standard, []);
        message.AddHeader();
        return message;
    }

    public Hl7Segment? Segment(string id) => segments.Find(s => s.Id == id);

    public IEnumerable<Hl7Segment> All(string id) => segments.Where(s => s.Id == id);

    /// <summary>The MSH of a message being built, with this message's delimiters in MSH-1 and MSH-2.</summary>
    internal Hl7Segment AddHeader()
    {
        var header = new Hl7Segment("MSH", Delimiters);
        segments.Add(header);
        return header;
    }

    public Hl7Segment Add(string id)
    {
        var segment = new Hl7Segment(id, Delimiters);
        segments.Add(segment);
        return segment;
    }

    /// <summary>The message in ER7, every segment ended by a carriage return.</summary>
    public string ToEr7()
    {
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            text.Append(segment.ToEr7()).Append('\r');
        }
        return text.ToString();
    }

    public override string ToString() => ToEr7();
}
