using Lantern.Server.Patients;

namespace Lantern.Server.OrdersResults;

/// <summary>
/// One result from a laboratory or other diagnostic system (an OBX of an ORU^R01): what was measured, the value with
/// its units and reference range, the abnormal flag the lab set, and the result status. A corrected or final result
/// for the same order and observation replaces the preliminary one; what was shown before stays in the audit trail.
/// </summary>
public sealed class ResultObservation
{
    public long Id { get; private set; }

    public Guid PatientId { get; private set; }
    public Patient? Patient { get; private set; }

    /// <summary>The lab's order number (OBR-3 filler, else OBR-2 placer): the request this result answers.</summary>
    public string OrderNumber { get; private set; }

    /// <summary>The test ordered (OBR-4), e.g. "FBC^Full blood count".</summary>
    public string TestCode { get; private set; }
    public string TestName { get; private set; }

    /// <summary>OBX-3: the observation code, its name and the coding system (LN for LOINC, or the lab's local one).</summary>
    public string ObservationCode { get; private set; }
    public string ObservationName { get; private set; }
    public string CodingSystem { get; private set; }

    /// <summary>OBX-4: tells apart several results with the same code in one order.</summary>
    public string SubId { get; private set; }

    /// <summary>OBX-2: NM numeric, ST/TX text, CE coded…</summary>
    public string ValueType { get; private set; }
    public string Value { get; private set; }
    public string? Units { get; private set; }
    public string? ReferenceRange { get; private set; }

    /// <summary>OBX-8 (HL7 table 0078): L low, H high, LL/HH critically so, A abnormal, N normal; null when the lab sent none.</summary>
    public string? AbnormalFlag { get; private set; }

    /// <summary>OBX-11 (HL7 table 0085): F final, P preliminary, C corrected, X cannot be obtained, D deleted…</summary>
    public string Status { get; private set; }

    public DateTime? ObservedAt { get; private set; }
    public DateTime ReceivedAt { get; private set; }

    /// <summary>The inbound message it came in (Hl7InboundMessages), for tracing a result back to what the lab sent.</summary>
    public long SourceMessageId { get; private set; }

    public ResultObservation(Guid patientId, string orderNumber, string testCode, string testName, string observationCode, string observationName,
        string codingSystem, string subId)
    {
        PatientId = patientId;
        OrderNumber = orderNumber;
        TestCode = testCode;
        TestName = testName;
        ObservationCode = observationCode;
        ObservationName = observationName;
        CodingSystem = codingSystem;
        SubId = subId;
        ValueType = "";
        Value = "";
        Status = "";
    }

    public void Record(string valueType, string value, string? units, string? referenceRange, string? abnormalFlag, string status,
        DateTime? observedAt, DateTime receivedAt, long sourceMessageId)
    {
        (ValueType, Value, Units, ReferenceRange, AbnormalFlag, Status) = (valueType, value, units, referenceRange, abnormalFlag, status);
        (ObservedAt, ReceivedAt, SourceMessageId) = (observedAt, receivedAt, sourceMessageId);
    }
}
