using Lantern.Server.Audit;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Platform.Storage;
using Lantern.Server.OrdersResults;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>
/// ORU^R01: results stored against the patient, one <see cref="ResultObservation"/> per OBX under its OBR. The patient
/// must be known (a result is never filed against a guess): otherwise AE, and the message waits on the monitor for a
/// replay once they are registered. Runs inside the inbox's transaction.
/// </summary>
public sealed class OruInbound(LanternDb db, AuditTrail audit, TimeProvider clock)
{
    public async Task<Guid> ApplyAsync(Hl7Message message, InboundMessage entry, CancellationToken cancel)
    {
        var pid = message.Segment("PID") ?? throw Hl7RefusalException.Error("The message has no PID segment", Hl7Acks.SegmentSequenceError);
        var patient = await PidReader.FindPatientAsync(db, pid, cancel)
            ?? throw Hl7RefusalException.Error($"PID-3: no patient with the identifiers '{pid.Raw(3)}': register them, then replay", Hl7Acks.UnknownKeyIdentifier);
        await db.SaveChangesAsync(cancel); // the inbox row's id, which each result names as its source
        var now = clock.GetUtcNow().UtcDateTime;
        Hl7Segment? obr = null;
        // The results already held for each order in the message, read once per order rather than once per OBX.
        var held = new Dictionary<string, List<ResultObservation>>(StringComparer.Ordinal);
        var stored = new List<string>();
        foreach (var segment in message.Segments)
        {
            if (segment.Id == "OBR")
            {
                obr = segment;
                continue;
            }
            if (segment.Id != "OBX")
            {
                continue;
            }
            if (obr is null)
            {
                throw Hl7RefusalException.Error("An OBX came before any OBR: a result must belong to an order", Hl7Acks.SegmentSequenceError);
            }
            var order = obr.ValueOrNull(3, 1) ?? obr.ValueOrNull(2, 1)
                ?? throw Hl7RefusalException.Error("OBR-3 (or OBR-2): the result has no order number", Hl7Acks.RequiredFieldMissing);
            var code = segment.ValueOrNull(3, 1) ?? throw Hl7RefusalException.Error("OBX-3: the result has no observation code", Hl7Acks.RequiredFieldMissing);
            var status = segment.ValueOrNull(11) ?? throw Hl7RefusalException.Error($"OBX-11: result {code} has no status", Hl7Acks.RequiredFieldMissing);
            var subId = segment.Value(4);
            if (!held.TryGetValue(order, out var ofOrder))
            {
                held[order] = ofOrder = await db.Results.Where(r => r.PatientId == patient.Id && r.OrderNumber == order).ToListAsync(cancel);
            }
            var result = ofOrder.Find(r => r.ObservationCode == code && r.SubId == subId);
            if (result is null)
            {
                result = new ResultObservation(patient.Id, order, obr.Value(4, 1), obr.Value(4, 2), code, segment.Value(3, 2), segment.Value(3, 3), subId);
                db.Results.Add(result);
                ofOrder.Add(result);
            }
            // A coded value (CE/CWE) is shown by its text, else its code; several repetitions, one per line.
            var coded = segment.Value(2) is "CE" or "CWE";
            var value = string.Join("\n", segment.Field(5).Repetitions.Select(r => coded ? r.Value(2) is { Length: > 0 } text ? text : r.Value(1) : r.Text));
            result.Record(segment.Value(2), value, segment.ValueOrNull(6, 1), segment.ValueOrNull(7), segment.ValueOrNull(8), status,
                (Hl7Time.Of(segment.Value(14), "OBX-14") ?? Hl7Time.Of(obr.Value(7), "OBR-7"))?.UtcDateTime, now, entry.Id);
            stored.Add($"{code}={value}{(segment.ValueOrNull(8) is { } flag ? $" ({flag})" : "")} [{status}]");
        }
        if (stored.Count == 0)
        {
            throw Hl7RefusalException.Error("The message holds no OBX results", Hl7Acks.SegmentSequenceError);
        }
        await audit.SaveAsync(new AuditEvent(AuditAction.Create, "Result", entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), patient.Id,
            $"Results from {message.SendingApplication}: {string.Join(", ", stored)}"), cancel);
        return patient.Id;
    }
}
