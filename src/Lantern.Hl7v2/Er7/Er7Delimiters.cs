namespace Lantern.Hl7v2.Er7;

/// <summary>
/// The separators a message declares for itself in MSH-1 and MSH-2 (usually <c>|^~\&amp;</c>, v2.7 adds the
/// truncation character <c>#</c>). Every message is read with its own, never with assumed ones.
/// </summary>
public sealed record Er7Delimiters(char Field, char Component, char Repetition, char Escape, char SubComponent, char? Truncation = null)
{
    public static readonly Er7Delimiters Standard = new('|', '^', '~', '\\', '&');

    /// <summary>MSH-2 as written: component, repetition, escape, sub-component (and truncation when declared).</summary>
    public string EncodingCharacters => Truncation is { } t ? $"{Component}{Repetition}{Escape}{SubComponent}{t}" : $"{Component}{Repetition}{Escape}{SubComponent}";

    /// <summary>Whether <paramref name="c"/> separates anything in this message (and so must be escaped inside a value).</summary>
    public bool IsSpecial(char c) => c == Field || c == Component || c == Repetition || c == Escape || c == SubComponent;

    /// <summary>The separators declared by a message starting "MSH"; otherwise why not.</summary>
    public static Er7Delimiters Read(ReadOnlySpan<char> msh)
    {
        if (msh.Length < 8 || !msh.StartsWith("MSH", StringComparison.Ordinal))
        {
            throw new Er7Exception("A message starts with an MSH segment declaring its separators (MSH|^~\\&)");
        }
        var field = msh[3];
        var end = msh[4..].IndexOfAny(field, '\r', '\n');
        var encoding = end < 0 ? msh[4..] : msh.Slice(4, end);
        if (encoding.Length is < 4 or > 5)
        {
            throw new Er7Exception($"MSH-2 must hold 4 or 5 encoding characters, found {encoding.Length}");
        }
        Span<char> all = [field, .. encoding];
        for (var i = 0; i < all.Length; i++)
        {
            if (char.IsLetterOrDigit(all[i]) || char.IsWhiteSpace(all[i]) || char.IsControl(all[i]) || all[(i + 1)..].Contains(all[i]))
            {
                throw new Er7Exception($"MSH-1 and MSH-2 must be distinct punctuation characters; '{all[i]}' is not usable");
            }
        }
        return new Er7Delimiters(field, encoding[0], encoding[1], encoding[2], encoding[3], encoding.Length == 5 ? encoding[4] : null);
    }
}

/// <summary>A message that is not ER7 as HL7 v2 defines it: the reason, for the AR acknowledgement and the interface monitor.</summary>
public sealed class Er7Exception(string message) : Exception(message);
