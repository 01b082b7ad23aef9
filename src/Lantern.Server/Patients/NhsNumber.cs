namespace Lantern.Server.Patients;

/// <summary>The NHS number check digit (Modulus 11) and its 3-3-4 display form.</summary>
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

    /// <summary>True for exactly ten digits whose last is the Modulus 11 check digit of the first nine.</summary>
    public static bool IsValid(string? digits) =>
        digits is { Length: 10 } && digits.All(char.IsAsciiDigit) && CheckDigit(digits.AsSpan(0, 9)) == digits[9] - '0';

    /// <summary>943 476 5919.</summary>
    public static string Format(string digits) =>
        digits.Length == 10 ? $"{digits[..3]} {digits[3..6]} {digits[6..]}" : digits;
}
