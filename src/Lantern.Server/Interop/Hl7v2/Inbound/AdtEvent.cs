using Lantern.Hl7v2.Er7;

namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>
/// What an ADT message says about the patient and their stay, read once from MSH, EVN, PID, PV1 and MRG: the facts
/// <see cref="AdtInbound"/> applies, and what the UCLH expected results are compared with. Times are instants
/// (UK local time unless the sender gave an offset); a bad one refuses the message naming its field.
/// </summary>
public sealed record AdtEvent(
    string Trigger,
    string SourceSystem,
    DateTimeOffset? RecordedAt,
    DateTimeOffset? OccurredAt,
    string? Mrn,
    string? NhsNumber,
    string? VisitNumber,
    string? FamilyName,
    string? GivenName,
    string? MiddleName,
    string? Title,
    string? Sex,
    DateOnly? BirthDate,
    string? Postcode,
    bool? Alive,
    string? Ward,
    string? Bed,
    string? Location,
    string? PreviousLocation,
    string? AdmissionMethod,
    string? AdmissionSource,
    string? Consultant,
    DateTimeOffset? AdmittedAt,
    DateTimeOffset? DischargedAt,
    string? DischargeDisposition,
    string? DischargeLocation,
    string? PreviousMrn,
    string? PendingWard,
    DateTimeOffset? ExpectedAdmitAt,
    DateTimeOffset? PlannedAt,
    string? AdmitReason)
{
    public static AdtEvent Read(Hl7Message message)
    {
        var evn = message.Segment("EVN");
        var pid = message.Segment("PID") ?? throw Hl7RefusalException.Error("The message has no PID segment", Hl7Acks.SegmentSequenceError);
        var pv1 = message.Segment("PV1");
        var pv2 = message.Segment("PV2");
        var ids = PidReader.IdentifiersOf(pid);
        var name = pid.Field(5).Repetition(1);
        string? Text(Hl7Field f) => f.Text is { Length: > 0 } t && t != Hl7Field.ExplicitNull ? t : null;
        return new AdtEvent(
            message.Type.Trigger,
            message.SendingApplication,
            Hl7Time.Of(evn?.Value(2) ?? "", "EVN-2"),
            Hl7Time.Of(evn?.Value(6) ?? "", "EVN-6"),
            ids.Mrn,
            ids.NhsNumber,
            pv1?.ValueOrNull(19),
            Text(name.Component(1).Sub(1)),
            Text(name.Component(2)),
            Text(name.Component(3)),
            Text(name.Component(5)),
            pid.ValueOrNull(8),
            Hl7Time.Date(pid.Value(7)),
            pid.ValueOrNull(11, 5),
            pid.Value(30) switch { "Y" => false, "N" => true, _ => pid.ValueOrNull(29) is null ? null : false },
            pv1?.ValueOrNull(3, 1),
            pv1?.ValueOrNull(3, 3),
            pv1 is null ? null : Place(pv1, 3),
            pv1 is null ? null : Place(pv1, 6),
            pv1?.ValueOrNull(4),
            pv1?.ValueOrNull(14),
            pv1?.ValueOrNull(9, 1) ?? pv1?.ValueOrNull(7, 1),
            Hl7Time.Of(pv1?.Value(44) ?? "", "PV1-44"),
            Hl7Time.Of(pv1?.Value(45) ?? "", "PV1-45"),
            pv1?.ValueOrNull(36),
            pv1?.ValueOrNull(37, 1),
            message.Segment("MRG")?.Field(1).Repetition(1).Value(1) is { Length: > 0 } previous ? previous : null,
            pv1?.ValueOrNull(42, 1),
            Hl7Time.Of(pv2?.Value(8) ?? "", "PV2-8"),
            Hl7Time.Of(evn?.Value(3) ?? "", "EVN-3"),
            pv2?.ValueOrNull(3, 2) ?? pv2?.ValueOrNull(3, 1));
    }

    /// <summary>Point of care ^ room ^ bed, as one string (ward "T42E", room "T42E BY02", bed "BY02-17").</summary>
    private static string? Place(Hl7Segment pv1, int field)
    {
        var place = pv1.Field(field).Repetition(1);
        var parts = new[] { place.Value(1), place.Value(2), place.Value(3) };
        return parts.All(p => p.Length == 0) ? null : string.Join('^', parts).TrimEnd('^');
    }
}
