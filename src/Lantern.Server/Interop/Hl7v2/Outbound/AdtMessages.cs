using System.Globalization;
using System.Text.Json;
using Lantern.Hl7v2.Er7;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Messaging;

namespace Lantern.Server.Interop.Hl7v2.Outbound;

/// <summary>
/// An inpatient event from the outbox as an HL7 v2.4 ADT message: MSH, EVN, PID (hospital number and NHS number),
/// PV1 (ward^^bed, admission method and source, visit number = spell, discharge method and destination, times).
/// Times go with their UK offset, so no receiver has to guess about the clocks changing.
/// </summary>
public static class AdtMessages
{
    public static string Build(OutboxMessage outbox, Hl7Destination to, DateTime now)
    {
        var p = JsonDocument.Parse(outbox.Payload).RootElement;
        string? Text(string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        string When(string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Time(v.GetDateTime()) : "";

        var message = Hl7Message.Create();
        message.Header.Set(3, "LANTERN").Set(4, to.SendingFacility).Set(5, to.ReceivingApplication).Set(6, to.ReceivingFacility)
            .Set(7, Time(now)).Set(9, "ADT", outbox.EventType).Set(10, outbox.Id.ToString(CultureInfo.InvariantCulture)).Set(11, "P").Set(12, "2.4");
        message.Add("EVN").Set(1, outbox.EventType).Set(2, Time(outbox.RecordedAt)).Set(5, outbox.RecordedBy).Set(6, Time(outbox.OccurredAt));
        var pid = message.Add("PID").Set(1, "1");
        var ids = new List<string> { Identifier(Text("Mrn"), to.SendingFacility, "MR") };
        if (Text("NhsNumber") is { } nhs)
        {
            ids.Add(Identifier(nhs, "NHS", "NH"));
        }
        pid.SetRaw(3, string.Join(message.Delimiters.Repetition, ids));
        pid.Set(5, Text("FamilyName"), Text("GivenName"));
        pid.Set(7, Text("BirthDate")?.Replace("-", "", StringComparison.Ordinal));
        pid.Set(8, Text("Gender") switch { "Male" => "M", "Female" => "F", "Other" => "O", _ => "U" });
        var pv1 = message.Add("PV1").Set(1, "1").Set(2, "I");
        pv1.Set(3, Text("Ward"), null, Text("Bed"));
        pv1.Set(4, Text("AdmissionMethod"));
        pv1.Set(10, Text("SpecialtyCode"));
        pv1.Set(14, Text("AdmissionSource"));
        pv1.Set(19, p.GetProperty("SpellId").GetInt32().ToString(CultureInfo.InvariantCulture));
        pv1.Set(36, Text("DischargeMethod"));
        pv1.Set(37, Text("DischargeDestination"));
        pv1.Set(44, When("AdmittedAt"));
        pv1.Set(45, When("DischargedAt"));
        return message.ToEr7();

        string Identifier(string? id, string authority, string type) =>
            string.Join(message.Delimiters.Component, Er7Escaping.Escape(id ?? "", message.Delimiters), "", "", authority, type);
    }

    /// <summary>A UTC instant as UK local time with its offset: 20260701093000+0100.</summary>
    public static string Time(DateTime utc)
    {
        var instant = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        var local = UkTime.ToLondon(instant);
        var offset = local - instant.UtcDateTime;
        return local.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString("hhmm", CultureInfo.InvariantCulture);
    }
}
