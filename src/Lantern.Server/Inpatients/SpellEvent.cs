using Lantern.Server.Organisation;

namespace Lantern.Server.Inpatients;

public enum SpellEventKind
{
    Admitted,
    Transferred,
    ConsultantChanged,
    Discharged,
}

/// <summary>
/// One ADT change to a spell, as recorded: when it took effect, who entered it, and the state of the beds it
/// touched beforehand, so that undoing it puts each bed back exactly as it was.
/// </summary>
public sealed class SpellEvent
{
    public int Id { get; private set; }
    public int SpellId { get; private set; }

    /// <summary>Order within the spell (events may share an effective time).</summary>
    public int Sequence { get; private set; }

    public SpellEventKind Kind { get; private set; }

    /// <summary>When it happened on the ward (UTC); may be earlier than when it was entered.</summary>
    public DateTime At { get; private set; }

    public DateTime RecordedAt { get; private set; }
    public string RecordedBy { get; private set; }
    public int? FromBedId { get; private set; }
    public BedStatus? FromBedStatusBefore { get; private set; }
    public int? ToBedId { get; private set; }
    public BedStatus? ToBedStatusBefore { get; private set; }
    public DateTime? UndoneAt { get; private set; }
    public string? UndoneBy { get; private set; }

    private SpellEvent()
    {
        RecordedBy = "";
    }

    public SpellEvent(int sequence, SpellEventKind kind, DateTime at, DateTime recordedAt, string recordedBy,
        Bed? fromBed, Bed? toBed)
    {
        Sequence = sequence;
        Kind = kind;
        At = at;
        RecordedAt = recordedAt;
        RecordedBy = recordedBy;
        (FromBedId, FromBedStatusBefore) = (fromBed?.Id, fromBed?.Status);
        (ToBedId, ToBedStatusBefore) = (toBed?.Id, toBed?.Status);
    }

    public void Undo(DateTime at, string by) => (UndoneAt, UndoneBy) = (at, by);
}

/// <summary>How a change to an admission reads on a page (the API's kinds are camelCase enum names).</summary>
public static class SpellEventNames
{
    public static string Noun(string kind) => kind switch
    {
        "admitted" => "the admission",
        "transferred" => "the transfer",
        "consultantChanged" => "the change of consultant",
        _ => "the discharge",
    };

    public static string Past(string kind) => kind switch
    {
        "admitted" => "Admitted",
        "transferred" => "Transferred",
        "consultantChanged" => "Consultant changed",
        _ => "Discharged",
    };
}
