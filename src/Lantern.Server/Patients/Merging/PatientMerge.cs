namespace Lantern.Server.Patients.Merging;

/// <summary>
/// Two registrations found to be one person: the retired record now redirects to the survivor, and every
/// record that pointed at the retired one was moved. <see cref="Moves"/> lists exactly what moved, so that
/// an unmerge puts back those records and nothing else.
/// </summary>
public sealed class PatientMerge
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid SurvivorId { get; private set; }
    public Guid RetiredId { get; private set; }
    public string Reason { get; private set; }
    public DateTime MergedAt { get; private set; }
    public string MergedBy { get; private set; }
    public DateTime? UnmergedAt { get; private set; }
    public string? UnmergedBy { get; private set; }
    public string? UnmergeReason { get; private set; }
    public List<PatientMergeMove> Moves { get; private set; } = [];

    public PatientMerge(Guid survivorId, Guid retiredId, string reason, DateTime mergedAt, string mergedBy)
    {
        SurvivorId = survivorId;
        RetiredId = retiredId;
        Reason = reason;
        MergedAt = mergedAt;
        MergedBy = mergedBy;
    }

    public bool IsActive => UnmergedAt is null;

    public void Undo(DateTime at, string by, string reason)
    {
        UnmergedAt = at;
        UnmergedBy = by;
        UnmergeReason = reason;
    }
}

/// <summary>One record (of a type named by <see cref="RecordType"/>) moved from the retired patient to the survivor.</summary>
public sealed class PatientMergeMove
{
    public long Id { get; private set; }
    public Guid MergeId { get; private set; }
    public string RecordType { get; private set; }
    public string RecordKey { get; private set; }

    public PatientMergeMove(string recordType, string recordKey)
    {
        RecordType = recordType;
        RecordKey = recordKey;
    }
}
