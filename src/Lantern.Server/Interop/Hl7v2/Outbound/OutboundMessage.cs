namespace Lantern.Server.Interop.Hl7v2.Outbound;

/// <summary>What became of an event sent to a destination.</summary>
public enum OutboundStatus
{
    /// <summary>Acknowledged with AA.</summary>
    Sent,

    /// <summary>
    /// Answered AE: the destination understood it and will not take it; kept for review. The queue moves on for other
    /// patients; this patient's later events are held until an administrator sends it again or passes over it.
    /// </summary>
    Refused,

    /// <summary>Not sent yet: an earlier event for the same patient was refused by this destination (so it would arrive out of step).</summary>
    Held,

    /// <summary>To be sent (again) before the queue's newer events: a refused event an administrator sent again, or a held one released.</summary>
    Queued,

    /// <summary>Refused, and passed over by an administrator: the patient's held events went on without it.</summary>
    PassedOver,

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
    /// <summary>
    /// Refused, held behind a refusal, or queued to go again: the events that are not through yet, which hold a
    /// patient's later ones (H-036) and which the interface monitor lists.
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<OutboundMessage, bool>> NotThrough { get; } =
        m => m.Status == OutboundStatus.Refused || m.Status == OutboundStatus.Held || m.Status == OutboundStatus.Queued;

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

    /// <summary>An administrator's "send again" of a refused event, or the release of a held one: it goes before newer events.</summary>
    public void Requeue() => Status = Status is OutboundStatus.Refused or OutboundStatus.Held ? OutboundStatus.Queued
        : throw new InvalidOperationException($"A {Status} event cannot be sent again");

    /// <summary>An administrator's decision that a refused event will not be sent: the patient's held events go on without it.</summary>
    public void PassOver() => Status = Status == OutboundStatus.Refused ? OutboundStatus.PassedOver
        : throw new InvalidOperationException($"A {Status} event cannot be passed over");

    /// <summary>A queued event held again, behind one of the patient's events refused again.</summary>
    public void Hold() => Status = OutboundStatus.Held;

    /// <summary>A queued event's outcome when it was sent (AA or AE).</summary>
    public void Answered(string raw, OutboundStatus status, string? ack, DateTime at, int attempts)
    {
        (Raw, Status, Ack, SentAt) = (raw, status, ack, at);
        Attempts += attempts;
    }

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
