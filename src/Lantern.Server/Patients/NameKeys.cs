using System.Text;

namespace Lantern.Server.Patients;

/// <summary>
/// Search keys for names. <see cref="Key"/> folds case, accents and punctuation ("O'Brien" → OBRIEN), so
/// however a clerk types a name it finds the same people. <see cref="Soundex"/> (American Soundex, with the
/// H/W rule and Mc/Mac folded) groups names that sound alike: Smith and Smyth, MacDonald and Mcdonald.
/// </summary>
public static class NameKeys
{
    public static string Key(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "";
        }
        var key = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetter(c))
            {
                key.Append(char.ToUpperInvariant(c));
            }
            else if (c is 'ß')
            {
                key.Append("SS");
            }
            else if (c is 'Ø' or 'ø')
            {
                key.Append('O');
            }
            else if (c is 'Æ' or 'æ')
            {
                key.Append("AE");
            }
        }
        return key.ToString();
    }

    public static string Soundex(string? name)
    {
        var key = Key(name);
        if (key.StartsWith("MAC", StringComparison.Ordinal))
        {
            key = "MC" + key[3..];
        }
        if (key.Length == 0)
        {
            return "";
        }
        var code = new StringBuilder(4).Append(key[0]);
        var last = Digit(key[0]);
        for (var i = 1; i < key.Length && code.Length < 4; i++)
        {
            var c = key[i];
            var digit = Digit(c);
            if (digit != '0' && digit != last)
            {
                code.Append(digit);
            }
            // H and W do not separate letters with the same code; vowels do.
            if (c is not 'H' and not 'W')
            {
                last = digit;
            }
        }
        return code.ToString().PadRight(4, '0');
    }

    private static char Digit(char c) => c switch
    {
        'B' or 'F' or 'P' or 'V' => '1',
        'C' or 'G' or 'J' or 'K' or 'Q' or 'S' or 'X' or 'Z' => '2',
        'D' or 'T' => '3',
        'L' => '4',
        'M' or 'N' => '5',
        'R' => '6',
        _ => '0',
    };

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/> (keys are A–Z only).</summary>
    public static string PrefixUpperBound(string prefix) =>
        prefix.Length == 0 ? "" : prefix[..^1] + (char)(prefix[^1] + 1);
}
