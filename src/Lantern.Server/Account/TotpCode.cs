namespace Lantern.Server.Account;

/// <summary>Authenticator apps show codes as "123 456"; staff type them with or without the space.</summary>
public static class TotpCode
{
    public static string? Normalise(string? input)
    {
        var digits = new string((input ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}
