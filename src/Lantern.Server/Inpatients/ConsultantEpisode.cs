using Lantern.Server.Organisation;

namespace Lantern.Server.Inpatients;

/// <summary>A consultant episode: the time a spell is under one consultant's team.</summary>
public sealed class ConsultantEpisode
{
    public int Id { get; private set; }
    public int SpellId { get; private set; }
    public int TeamId { get; private set; }
    public ClinicalTeam? Team { get; private set; }
    public DateTime StartedAt { get; private set; }
    public DateTime? EndedAt { get; private set; }

    public ConsultantEpisode(int teamId, DateTime startedAt)
    {
        TeamId = teamId;
        StartedAt = startedAt;
    }

    public void End(DateTime at) => EndedAt = at;

    public void Reopen() => EndedAt = null;
}
