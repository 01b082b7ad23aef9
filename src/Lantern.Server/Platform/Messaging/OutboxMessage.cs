namespace Lantern.Server.Platform.Messaging;

/// <summary>
/// A domain event waiting to be sent to other systems, written in the same transaction as the change it
/// describes (the transactional outbox): if the change is stored, so is the message, and never otherwise.
/// The interface engine reads them in <see cref="Id"/> order and marks each dispatched.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; private set; }

    /// <summary>The event, named as its HL7 v2 trigger: A01 admit, A02 transfer, A03 discharge, A11/A12/A13 their cancellations, A54/A55 consultant change and its cancellation.</summary>
    public string EventType { get; private set; }

    public Guid? PatientId { get; private set; }
    public DateTime OccurredAt { get; private set; }
    public DateTime RecordedAt { get; private set; }

    /// <summary>JSON: everything a receiver needs, as at the moment of the event.</summary>
    public string Payload { get; private set; }

    public DateTime? DispatchedAt { get; private set; }

    /// <summary>Who made the change ("hl7:PAS" when it came in from that system): a system is not sent back its own events.</summary>
    public string RecordedBy { get; private set; } = "";

    public OutboxMessage(string eventType, Guid? patientId, DateTime occurredAt, DateTime recordedAt, string payload, string recordedBy)
    {
        RecordedBy = recordedBy;
        EventType = eventType;
        PatientId = patientId;
        OccurredAt = occurredAt;
        RecordedAt = recordedAt;
        Payload = payload;
    }

    public void MarkDispatched(DateTime at) => DispatchedAt = at;
}
