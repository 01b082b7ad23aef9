using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Lantern.Server.Inpatients;

/// <summary>
/// Tells open bed boards that their ward changed, so they refresh without a reload. In-process: each server
/// node tells its own browsers (a multi-node deployment needs a broadcast, e.g. PostgreSQL LISTEN/NOTIFY).
/// A board that is slow to read gets one "changed" signal, not a backlog.
/// </summary>
public sealed class WardChanges
{
    private readonly ConcurrentDictionary<Guid, (int WardId, Channel<int> Signals)> boards = new();

    public (Guid Id, ChannelReader<int> Signals) Watch(int wardId)
    {
        var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        boards[id] = (wardId, channel);
        return (id, channel.Reader);
    }

    public void Stop(Guid id)
    {
        if (boards.TryRemove(id, out var board))
        {
            board.Signals.Writer.TryComplete();
        }
    }

    public void Changed(params int[] wardIds)
    {
        foreach (var (_, (wardId, signals)) in boards)
        {
            if (wardIds.Contains(wardId))
            {
                signals.Writer.TryWrite(wardId);
            }
        }
    }
}
