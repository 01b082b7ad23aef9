namespace Lantern.Hl7v2.Er7;

/// <summary>
/// A field, or one repetition, component or sub-component of it, as sent (escaped). Read down with
/// <see cref="Repetition"/>, <see cref="Component"/> and <see cref="Sub"/> (numbered from 1, as HL7 numbers them);
/// <see cref="Text"/> is the unescaped value. An absent piece is empty, never an error.
/// </summary>
public readonly record struct Hl7Field(string Raw, Er7Delimiters Delimiters)
{
    /// <summary>HL7's explicit null, <c>""</c>: "delete what you hold", unlike an empty field, "no change".</summary>
    public const string ExplicitNull = "\"\"";

    private bool IsLiteral { get; init; }

    /// <summary>MSH-1 and MSH-2: the delimiters themselves, never split or unescaped.</summary>
    internal static Hl7Field Literal(string raw, Er7Delimiters delimiters) => new(raw, delimiters) { IsLiteral = true };

    public bool IsEmpty => Raw.Length == 0;

    public bool IsExplicitNull => Raw == ExplicitNull;

    public string Text => IsLiteral ? Raw : Er7Escaping.Unescape(Raw, Delimiters);

    public IEnumerable<Hl7Field> Repetitions
    {
        get
        {
            if (IsEmpty)
            {
                yield break;
            }
            var (raw, delimiters) = (Raw, Delimiters);
            foreach (var piece in IsLiteral ? [raw] : raw.Split(delimiters.Repetition))
            {
                yield return new Hl7Field(piece, delimiters);
            }
        }
    }

    public Hl7Field Repetition(int r) => Piece(Delimiters.Repetition, r);

    public Hl7Field Component(int c) => Piece(Delimiters.Component, c);

    public Hl7Field Sub(int s) => Piece(Delimiters.SubComponent, s);

    /// <summary>The unescaped text of component c, sub-component s (of this repetition).</summary>
    public string Value(int component = 1, int subComponent = 1) => Component(component).Sub(subComponent).Text;

    private Hl7Field Piece(char separator, int n)
    {
        if (IsLiteral)
        {
            return n == 1 ? this : new Hl7Field("", Delimiters);
        }
        var span = Raw.AsSpan();
        for (var i = 1; i < n; i++)
        {
            var next = span.IndexOf(separator);
            if (next < 0)
            {
                return new Hl7Field("", Delimiters);
            }
            span = span[(next + 1)..];
        }
        var end = span.IndexOf(separator);
        var piece = end < 0 ? span : span[..end];
        return new Hl7Field(piece.Length == Raw.Length ? Raw : piece.ToString(), Delimiters);
    }

    public override string ToString() => Raw;
}
