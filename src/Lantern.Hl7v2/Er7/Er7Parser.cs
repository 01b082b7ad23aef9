namespace Lantern.Hl7v2.Er7;

/// <summary>
/// Reads ER7 (the pipe-and-hat encoding). Segments may end in CR, LF or CR LF (files and some senders use LF);
/// blank lines are skipped. One pass, no recursion: any input either parses or fails with an
/// <see cref="Er7Exception"/> saying why, in time proportional to its length.
/// </summary>
public static class Er7Parser
{
    public static Hl7Message Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        // A byte-order mark or blank lines before MSH are transport noise, not content.
        while (start < text.Length && text[start] is '\uFEFF' or '\r' or '\n' or ' ' or '\t')
        {
            start++;
        }
        var delimiters = Er7Delimiters.Read(text.AsSpan(start));
        var segments = new List<Hl7Segment>();
        var position = start;
        while (position < text.Length)
        {
            var end = text.AsSpan(position).IndexOfAny('\r', '\n');
            var line = end < 0 ? text.AsSpan(position) : text.AsSpan(position, end);
            position = end < 0 ? text.Length : position + end + 1;
            if (line.IsEmpty || line.IsWhiteSpace())
            {
                continue;
            }
            segments.Add(ParseSegment(line, delimiters, segments.Count == 0));
        }
        return new Hl7Message(delimiters, segments);
    }

    /// <summary>
    /// A file or batch of messages: split at each MSH, batch and file envelopes (FHS, BHS, BTS, FTS) left out.
    /// Each message is parsed on its own, so one bad message does not hide the others.
    /// </summary>
    public static IEnumerable<string> SplitBatch(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (var line in text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = line.TrimStart('\uFEFF');
            if (trimmed.StartsWith("FHS", StringComparison.Ordinal) || trimmed.StartsWith("BHS", StringComparison.Ordinal)
                || trimmed.StartsWith("BTS", StringComparison.Ordinal) || trimmed.StartsWith("FTS", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(trimmed))
            {
                continue;
            }
            if (trimmed.StartsWith("MSH", StringComparison.Ordinal) && current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }
            current.Append(trimmed).Append('\r');
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static Hl7Segment ParseSegment(ReadOnlySpan<char> line, Er7Delimiters d, bool first)
    {
        var id = line.Length >= 3 ? line[..3] : line;
        if (!IsSegmentId(id) || (line.Length > 3 && line[3] != d.Field))
        {
            throw new Er7Exception($"'{Printable(line[..Math.Min(line.Length, 12)])}' does not start a segment (three capitals or digits, then '{d.Field}')");
        }
        if (first != id.SequenceEqual("MSH"))
        {
            throw new Er7Exception(first ? "The first segment must be MSH" : "A message holds one MSH segment, at its start");
        }
        var fields = new List<string>();
        if (Hl7Segment.IsHeaderId(id))
        {
            if (line.Length < 4)
            {
                throw new Er7Exception($"{id} is too short to declare its separators");
            }
            // MSH-1 is the separator itself and MSH-2 the encoding characters: both taken whole.
            fields.Add(id.ToString());
            fields.Add(d.Field.ToString());
            line = line[4..];
        }
        foreach (var range in line.Split(d.Field))
        {
            fields.Add(line[range].ToString());
        }
        return new Hl7Segment(d, fields) { FieldsAsParsed = fields.Count };
    }

    public static bool IsSegmentId(ReadOnlySpan<char> id) =>
        id.Length == 3 && char.IsAsciiLetterUpper(id[0]) && (char.IsAsciiLetterUpper(id[1]) || char.IsAsciiDigit(id[1])) && (char.IsAsciiLetterUpper(id[2]) || char.IsAsciiDigit(id[2]));

    private static string Printable(ReadOnlySpan<char> s) => string.Concat(s.ToArray().Select(c => char.IsControl(c) ? $"\\x{(int)c:X2}" : c.ToString()));
}
