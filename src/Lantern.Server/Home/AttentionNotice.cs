using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;

namespace Lantern.Server.Home;

/// <summary>What a notice asks of the people who may act on it: a heading, a sentence, and where to act.</summary>
public sealed record Notice(string Heading, string Text, string Link, string LinkText);

/// <summary>
/// Something that waits for a person, shown on the home page of those whose role may act on it (a module registers
/// one, as it registers its navigation). A notice names counts, never a patient.
/// </summary>
public interface IAttentionNotice
{
    /// <summary>Who sees it: the staff whose role grants this activity.</summary>
    Activity Activity { get; }

    /// <summary>The notice, or null when nothing waits.</summary>
    Task<Notice?> CheckAsync(LanternDb db, CancellationToken cancel);
}
