using System.Globalization;
using Lantern.Hl7v2.Er7;

namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>HL7 v2 acknowledgement codes (MSA-1, original mode).</summary>
public static class AckCode
{
    /// <summary>Accepted: stored (and applied).</summary>
    public const string Accept = "AA";

    /// <summary>Error: understood, but its content cannot be applied; do not send it again unchanged.</summary>
    public const string Error = "AE";

    /// <summary>Rejected: not understood or not taken here.</summary>
    public const string Reject = "AR";
}

/// <summary>
/// Builds the ACK for a received message: MSH addressed back to the sender, MSA with the code and the sender's control
/// id, and for AE/AR an ERR segment with the HL7 error code (table 0357) and the reason in words.
/// </summary>
public static class Hl7Acks
{
    /// <summary>HL7 table 0357 codes Lantern sends.</summary>
    public const string SegmentSequenceError = "100", RequiredFieldMissing = "101", DataTypeError = "102", TableValueNotFound = "103",
        UnsupportedMessageType = "200", UnsupportedEventCode = "201", UnknownKeyIdentifier = "204", ApplicationError = "207";

    public static string For(Hl7Message? received, string code, string? errorCode, string? reason, DateTime now)
    {
        var ack = Hl7Message.Create();
        var at = now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var header = received?.Header;
        ack.Header
            .Set(3, header?.Value(5) is { Length: > 0 } app ? app : "LANTERN")
            .Set(4, header?.Value(6) ?? "")
            .Set(5, header?.Value(3) ?? "")
            .Set(6, header?.Value(4) ?? "")
            .Set(7, at)
            .Set(9, "ACK", received?.Type.Trigger ?? "", "ACK")
            .Set(10, $"ACK{Guid.NewGuid():N}"[..20])
            .Set(11, header?.Value(11) is { Length: > 0 } processing ? processing : "P")
            .Set(12, received?.Version is { Length: > 0 } version ? version : "2.4");
        ack.Add("MSA").Set(1, code).Set(2, received?.ControlId ?? "").Set(3, reason is null ? null : Truncate(reason, 80));
        if (errorCode is not null)
        {
            // ERR-3 (v2.5 on) carries the code; ERR-4 the severity; ERR-8 the text for a person to read.
            ack.Add("ERR").Set(3, errorCode, Describe(errorCode), "HL70357").Set(4, "E").Set(8, reason);
        }
        return ack.ToEr7();
    }

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];

    private static string Describe(string code) => code switch
    {
        SegmentSequenceError => "Segment sequence error",
        RequiredFieldMissing => "Required field missing",
        DataTypeError => "Data type error",
        TableValueNotFound => "Table value not found",
        UnsupportedMessageType => "Unsupported message type",
        UnsupportedEventCode => "Unsupported event code",
        UnknownKeyIdentifier => "Unknown key identifier",
        _ => "Application internal error",
    };
}
