namespace Lantern.Hl7v2.Er7;

/// <summary>
/// One segment, its fields held exactly as they arrived (still escaped), so that writing a parsed message gives back
/// the same text. Fields are numbered as HL7 numbers them: PID-5 is <c>Field(5)</c>; in MSH, MSH-1 is the field
/// separator itself and MSH-2 the encoding characters.
/// </summary>
public sealed class Hl7Segment
{
    private readonly List<string> fields;

    public Er7Delimiters Delimiters { get; }

    public string Id => fields[0];

    private bool IsHeader => IsHeaderId(Id);

    /// <summary>Header segments (message, batch, file), whose first two fields are the delimiters themselves.</summary>
    internal static bool IsHeaderId(ReadOnlySpan<char> id) => id is "MSH" or "BHS" or "FHS";

    internal Hl7Segment(Er7Delimiters delimiters, List<string> fields)
    {
        Delimiters = delimiters;
        this.fields = fields;
    }

    /// <summary>A new, empty segment to fill with <see cref="Set(int, string?)"/>.</summary>
    public Hl7Segment(string id, Er7Delimiters delimiters)
    {
        if (!Er7Parser.IsSegmentId(id))
        {
            throw new ArgumentException($"'{id}' is not a segment id (three capitals or digits, starting with a capital)", nameof(id));
        }
        Delimiters = delimiters;
        fields = IsHeaderId(id) ? [id, delimiters.Field.ToString(), delimiters.EncodingCharacters] : [id];
    }

    /// <summary>The number of the last field present.</summary>
    public int FieldCount => fields.Count - 1;

    /// <summary>Field <paramref name="n"/> as sent (escaped, with its repetitions and components); empty when absent.</summary>
    public string Raw(int n) => n >= 0 && n < fields.Count ? fields[n] : "";

    /// <summary>Field <paramref name="n"/>, to read by repetition, component and sub-component (MSH-1 and MSH-2 are not split).</summary>
    public Hl7Field Field(int n) => IsDelimiterField(n) ? Hl7Field.Literal(Raw(n), Delimiters) : new(Raw(n), Delimiters);

    /// <summary>The unescaped text of field n, component c, sub-component s of the first repetition; "" when absent.</summary>
    public string Value(int n, int component = 1, int subComponent = 1) => Field(n).Repetition(1).Value(component, subComponent);

    /// <summary>Like <see cref="Value"/>, but null when absent or sent as the explicit null <c>""</c>.</summary>
    public string? ValueOrNull(int n, int component = 1, int subComponent = 1) =>
        Value(n, component, subComponent) is { Length: > 0 } v && v != Hl7Field.ExplicitNull ? v : null;

    /// <summary>Sets field <paramref name="n"/> to one plain value (escaped here).</summary>
    public Hl7Segment Set(int n, string? value) => SetRaw(n, value is null ? "" : Er7Escaping.Escape(value, Delimiters));

    /// <summary>Sets field <paramref name="n"/> from its components (each escaped here; trailing empty ones dropped).</summary>
    public Hl7Segment Set(int n, params string?[] components)
    {
        var last = Array.FindLastIndex(components, c => !string.IsNullOrEmpty(c));
        return SetRaw(n, string.Join(Delimiters.Component, components.Take(last + 1).Select(c => c is null ? "" : Er7Escaping.Escape(c, Delimiters))));
    }

    /// <summary>MSH-1 and MSH-2 (and BHS/FHS): the delimiters, not set like other fields.</summary>
    public bool IsDelimiterField(int n) => IsHeader && n <= 2;

    /// <summary>Sets field <paramref name="n"/> to text already in ER7 (repetitions, components and escapes as written).</summary>
    public Hl7Segment SetRaw(int n, string raw)
    {
        if (n < 1 || IsDelimiterField(n))
        {
            throw new ArgumentOutOfRangeException(nameof(n), "MSH-1 and MSH-2 are the delimiters; fields are numbered from 1");
        }
        while (fields.Count <= n)
        {
            fields.Add("");
        }
        fields[n] = raw;
        return this;
    }

    /// <summary>The segment as ER7 (without the segment terminator); trailing empty fields are not written.</summary>
    public string ToEr7()
    {
        var count = fields.Count;
        while (count > (IsHeader ? 3 : 1) && fields[count - 1].Length == 0 && count > FieldsAsParsed)
        {
            count--;
        }
        return IsHeader
            ? fields[0] + Delimiters.Field + string.Join(Delimiters.Field, fields.Skip(2).Take(count - 2))
            : string.Join(Delimiters.Field, fields.Take(count));
    }

    /// <summary>How many fields the segment arrived with: trailing empty fields that were sent are written back.</summary>
    internal int FieldsAsParsed { get; init; }

    public override string ToString() => ToEr7();
}
