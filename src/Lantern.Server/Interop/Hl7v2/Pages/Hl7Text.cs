namespace Lantern.Server.Interop.Hl7v2.Pages;

/// <summary>How the interface pages show a message's text: one segment a line, whatever its segment endings.</summary>
public static class Hl7Text
{
    public static string Lines(string raw) => string.Join("\n", raw.Split('\r', '\n', StringSplitOptions.RemoveEmptyEntries));
}
