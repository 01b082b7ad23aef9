namespace Lantern.Server.Patients;

/// <summary>The NHS number: Modulus 11 check digit, accepted input shapes, and the 3-3-4 display form.</summary>
public static class NhsNumber
{
    /// <summary>The check digit for the first nine digits, or null when none exists (remainder gives 10).</summary>
    public static int? CheckDigit(ReadOnlySpan<char> nineDigits)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (nineDigits[i] - '0') * (10 - i);
        }
        var check = 11 - (sum % 11);
        return check switch { 11 => 0, 10 => null, _ => check };
    }

    /// <summary>True for exactly ten ASCII digits whose last is the Modulus 11 check digit of the first nine.</summary>
    public static bool IsValid(string? digits) =>
        digits is { Length: 10 } && digits.All(char.IsAsciiDigit) && CheckDigit(digits.AsSpan(0, 9)) == digits[9] - '0';

    /// <summary>
    /// Reads what a person typed: surrounding spaces are ignored; the digits may be written together or as
    /// 3-3-4 groups separated by single spaces or single hyphens (not a mixture). Returns the ten digits, or
    /// null when the shape is wrong. It does not check the check digit: see <see cref="IsValid"/>.
    /// </summary>
    public static string? Normalise(string? input)
    {
        var text = input?.Trim(' ', '\t') ?? "";
        if (text.Length == 12 && text[3] == text[7] && text[3] is ' ' or '-')
        {
            text = string.Concat(text.AsSpan(0, 3), text.AsSpan(4, 3), text.AsSpan(8));
        }
        return text.Length == 10 && text.All(char.IsAsciiDigit) ? text : null;
    }

    /// <summary>943 476 5919.</summary>
    public static string Format(string digits) =>
        digits.Length == 10 ? $"{digits[..3]} {digits[3..6]} {digits[6..]}" : digits;
}
