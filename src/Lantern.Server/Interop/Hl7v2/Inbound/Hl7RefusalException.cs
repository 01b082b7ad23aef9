namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>
/// Why a message cannot be applied, as the ACK will say it: <see cref="AckCode"/> AE (content wrong) or AR (not taken
/// here), the HL7 error code (table 0357) and the reason in words, naming the field where there is one.
/// </summary>
public sealed class Hl7RefusalException(string ackCode, string errorCode, string reason) : Exception(reason)
{
    public string AckCode { get; } = ackCode;

    public string ErrorCode { get; } = errorCode;

    public static Hl7RefusalException Error(string reason, string errorCode = Hl7Acks.ApplicationError) => new(Inbound.AckCode.Error, errorCode, reason);

    /// <summary>The record changed between reading and saving it (a member of staff saving at the same moment): the sender may send again.</summary>
    public static Hl7RefusalException ChangedMeanwhile() => Error("Changed by someone else at the same time: send again");

    public static Hl7RefusalException Reject(string reason, string errorCode) => new(Inbound.AckCode.Reject, errorCode, reason);
}
