using Lantern.Server.Organisation;

namespace Lantern.Server.Inpatients;

/// <summary>Time in one bed (or on a ward without a bed yet) within a spell.</summary>
public sealed class WardStay
{
    public int Id { get; private set; }
    public int SpellId { get; private set; }
    public int WardId { get; private set; }
    public Ward? Ward { get; private set; }
    public int? BedId { get; private set; }
    public Bed? Bed { get; private set; }
    public DateTime StartedAt { get; private set; }
    public DateTime? EndedAt { get; private set; }

    public WardStay(int wardId, int? bedId, DateTime startedAt)
    {
        WardId = wardId;
        BedId = bedId;
        StartedAt = startedAt;
    }

    public void End(DateTime at) => EndedAt = at;

    public void Reopen() => EndedAt = null;
}
