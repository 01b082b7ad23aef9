using System.Buffers;
using System.Text;

namespace Lantern.Hl7v2.Er7;

/// <summary>
/// HL7 v2 escape sequences (chapter 2.7): a separator inside a value travels as \F\ \S\ \R\ \T\ \E\, a line break
/// as \.br\, other bytes as \Xhh\. Reading drops formatting commands a record cannot show (highlighting \H\ \N\,
/// spacing) and keeps anything it does not recognise exactly as sent, so no text is ever lost.
/// </summary>
public static class Er7Escaping
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef");

    public static string Unescape(ReadOnlySpan<char> raw, Er7Delimiters d)
    {
        var first = raw.IndexOf(d.Escape);
        if (first < 0)
        {
            return raw.ToString();
        }
        var text = new StringBuilder(raw.Length);
        text.Append(raw[..first]);
        var i = first;
        while (i < raw.Length)
        {
            var c = raw[i];
            var close = c == d.Escape ? raw[(i + 1)..].IndexOf(d.Escape) : -1;
            if (close < 0)
            {
                // Not an escape sequence, or one never closed: the character stands for itself.
                text.Append(c);
                i++;
                continue;
            }
            var sequence = raw.Slice(i + 1, close);
            if (!AppendSequence(text, sequence, d))
            {
                text.Append(raw.Slice(i, close + 2));
            }
            i += close + 2;
        }
        return text.ToString();
    }

    /// <summary>The text of one sequence between escape characters; false when it is not one Lantern knows.</summary>
    private static bool AppendSequence(StringBuilder text, ReadOnlySpan<char> s, Er7Delimiters d)
    {
        switch (s)
        {
            case "F": text.Append(d.Field); return true;
            case "S": text.Append(d.Component); return true;
            case "T": text.Append(d.SubComponent); return true;
            case "R": text.Append(d.Repetition); return true;
            case "E": text.Append(d.Escape); return true;
            case "P" when d.Truncation is { } t: text.Append(t); return true;
            case ".br": text.Append('\n'); return true;
            case "H" or "N" or ".fi" or ".nf": return true;
        }
        if (s.Length > 1 && s[0] == 'X' && s.Length % 2 == 1 && !s[1..].ContainsAnyExcept(HexDigits))
        {
            text.Append(DecodeBytes(Convert.FromHexString(s[1..])));
            return true;
        }
        if (s.StartsWith(".sp") || s.StartsWith(".ce") || s.StartsWith(".in") || s.StartsWith(".ti") || s.StartsWith(".sk"))
        {
            // Layout commands (with or without a count): a line break for a new line or centred line, a space for
            // indents and skips, so that words are never run together.
            text.Append(s.StartsWith(".sp") || s.StartsWith(".ce") ? "\n" : " ");
            return true;
        }
        return false;
    }

    private static string DecodeBytes(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>A value as it must be written: separators and the escape character escaped, line breaks as \.br\.</summary>
    public static string Escape(string value, Er7Delimiters d)
    {
        var needs = false;
        foreach (var c in value)
        {
            if (d.IsSpecial(c) || c is '\r' or '\n' || c == d.Truncation)
            {
                needs = true;
                break;
            }
        }
        if (!needs)
        {
            return value;
        }
        var text = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n')
            {
                continue; // CR LF: one line break, written for the LF
            }
            var code = c == d.Escape ? "E" : c == d.Field ? "F" : c == d.Component ? "S" : c == d.SubComponent ? "T" : c == d.Repetition ? "R"
                : c == d.Truncation ? "P" : c is '\n' or '\r' ? ".br" : null;
            if (code is null)
            {
                text.Append(c);
            }
            else
            {
                text.Append(d.Escape).Append(code).Append(d.Escape);
            }
        }
        return text.ToString();
    }
}
