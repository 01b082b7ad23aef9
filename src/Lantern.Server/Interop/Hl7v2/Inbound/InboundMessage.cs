namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>What became of a message received over MLLP.</summary>
public enum InboundStatus
{
    /// <summary>Stored and applied to the record (AA sent).</summary>
    Applied,

    /// <summary>Understood but not applicable as sent, e.g. a transfer for a patient not in hospital (AE sent). Kept for review.</summary>
    Failed,

    /// <summary>Not understood: not ER7, or a message type Lantern does not take (AR sent). Kept for review.</summary>
    Rejected,
}

/// <summary>
/// One message as received, kept with its exact text: stored before it is acknowledged, so nothing acknowledged is
/// ever lost, and keyed by the sender's control id (MSH-10) so that a message sent again is acknowledged, not
/// applied twice. Failed and rejected messages stay here for the interface monitor to show and replay.
/// </summary>
public sealed class InboundMessage
{
    public long Id { get; private set; }

    /// <summary>MSH-3 and MSH-4: who sent it; with the control id, what makes it this message.</summary>
    public string SendingApplication { get; private set; }

    public string SendingFacility { get; private set; }

    /// <summary>MSH-10; null only for text that could not be read as a message at all.</summary>
    public string? ControlId { get; private set; }

    /// <summary>MSH-9 as "ADT^A01".</summary>
    public string MessageType { get; private set; }

    public string Raw { get; private set; }

    /// <summary>The connection it came on (address:port), for tracing a misbehaving sender.</summary>
    public string Peer { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public InboundStatus Status { get; private set; }

    /// <summary>Why it failed or was rejected, as sent back in ERR.</summary>
    public string? Error { get; private set; }

    /// <summary>The HL7 error code (table 0357, ERR-3) sent with it, so a resend gets the same answer.</summary>
    public string? ErrorCode { get; private set; }

    public Guid? PatientId { get; private set; }

    /// <summary>How many times the sender sent it again after it was stored (each answered with the original outcome).</summary>
    public int Resends { get; private set; }

    public DateTime? LastReplayedAt { get; private set; }

    public InboundMessage(string sendingApplication, string sendingFacility, string? controlId, string messageType, string raw, string peer, DateTime receivedAt)
    {
        SendingApplication = sendingApplication;
        SendingFacility = sendingFacility;
        ControlId = controlId;
        MessageType = messageType;
        Raw = raw;
        Peer = peer;
        ReceivedAt = receivedAt;
    }

    public void Applied(Guid? patientId)
    {
        Status = InboundStatus.Applied;
        PatientId = patientId;
        (Error, ErrorCode) = (null, null);
    }

    /// <summary>Not applied, as the ACK said: AE (failed, content wrong) or AR (rejected, not taken here), with the ERR code and reason.</summary>
    public void Refused(Hl7RefusalException refused)
    {
        Status = refused.AckCode == AckCode.Error ? InboundStatus.Failed : InboundStatus.Rejected;
        (Error, ErrorCode) = (refused.Message, refused.ErrorCode);
    }

    public void Resent() => Resends++;

    public void Replayed(DateTime at) => LastReplayedAt = at;
}
