namespace Lantern.Server.Interop.Hl7v2.Outbound;

/// <summary>What became of an event sent to a destination.</summary>
public enum OutboundStatus
{
    /// <summary>Acknowledged with AA.</summary>
    Sent,

    /// <summary>Answered AE: the destination understood it and will not take it; kept for review, the queue moves on.</summary>
    Refused,

    /// <summary>Not sent: the destination is the system the change came from.</summary>
    Skipped,

    /// <summary>
    /// Where a new destination joined: it is sent the events after this one, not the history before it (unless it is
    /// configured with SendHistory). A marker, not a message.
    /// </summary>
    Joined,
}

/// <summary>
/// One inpatient event (an outbox row) as sent to one destination, with the message text and the ACK. A destination's
/// queue is the outbox rows after the last one it has here, so each is sent once, in order.
/// </summary>
public sealed class OutboundMessage
{
    public long Id { get; private set; }
    public string Destination { get; private set; }
    public long OutboxId { get; private set; }
    public Guid? PatientId { get; private set; }
    public string EventType { get; private set; }
    public string Raw { get; private set; }
    public OutboundStatus Status { get; private set; }
    public string? Ack { get; private set; }
    public DateTime SentAt { get; private set; }

    /// <summary>Tries it took: a failed connection, no answer or AR is tried again, with a growing pause.</summary>
    public int Attempts { get; private set; }

    public OutboundMessage(string destination, long outboxId, Guid? patientId, string eventType, string raw, OutboundStatus status, string? ack, DateTime sentAt, int attempts)
    {
        Destination = destination;
        OutboxId = outboxId;
        PatientId = patientId;
        EventType = eventType;
        Raw = raw;
        Status = status;
        Ack = ack;
        SentAt = sentAt;
        Attempts = attempts;
    }
}
