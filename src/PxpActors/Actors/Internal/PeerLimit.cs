using Akka.Actor;
using Akka.Event;
using PxpActors.Sessions;

namespace PxpActors.Actors.Internal;

/// <summary>
/// pxp.max-peers for one exchange: whether the node has as many peers as it takes from other nodes' getNewPeer. Its
/// sessions are told whenever that changes, and refuse their hub's "incoming" while it holds; the exchange also refuses
/// a relayed session that arrives anyway (an "incoming" accepted just before the news reached its session).
/// State of the ExchangeActor alone.
/// </summary>
internal sealed class PeerLimit(UpkeepSettings settings)
{
    /// <summary>Whether the node is at pxp.max-peers (never, when it has no limit).</summary>
    public bool Full { get; private set; }

    /// <summary>Whether a limit is set at all; without one there is nothing to count.</summary>
    public bool Enabled => settings.MaxPeers > 0;

    /// <summary>The refusal a relayed session or "incoming" request gets while the node is full.</summary>
    public string Refusal => Refusing(settings.MaxPeers);

    /// <summary>The refusal of an "incoming" request while the node has its maximum of <paramref name="maxPeers"/> peers.</summary>
    public static string Refusing(int maxPeers) => $"Refused: this node has its maximum of {maxPeers} peers ({Key})";

    /// <summary>Whether an error a relay request came back with is a candidate's refusal for being full (the wire has only text).</summary>
    public static bool IsRefusal(Exception error) => error.Message.Contains(Key, StringComparison.Ordinal);

    private const string Key = "pxp.max-peers";

    /// <summary>
    /// Whether a relayed session carried to us may start; not while full (its session accepted the "incoming" before it
    /// heard the news): the relay then closes before any hello, and the refusal is logged.
    /// </summary>
    public bool Admits(ILoggingAdapter log)
    {
        if (!Full) return true;
        log.Info("PXP relayed session refused: {0}", Refusal);
        return false;
    }

    /// <summary>
    /// Counts again: the ready sessions that are not relayed, and the <paramref name="arriving"/> relayed sessions carried to
    /// us (each on its way to an upgrade). Tells every session when the answer changed.
    /// </summary>
    public void Recount(SessionTable sessions, int arriving)
    {
        if (!Enabled) return;
        var full = settings.IsFull(sessions.Ready.Count(p => !p.Relayed) + arriving);
        if (full == Full) return;
        Full = full;
        var news = full ? PeerLimitChanged.Reached : PeerLimitChanged.Left;
        foreach (var session in sessions.Actors) session.Tell(news);
    }
}

/// <summary>The exchange reached pxp.max-peers (or fell below it again): a session refuses its hub's "incoming" while full.</summary>
internal sealed record PeerLimitChanged(bool Full)
{
    public static PeerLimitChanged Reached { get; } = new(true);
    public static PeerLimitChanged Left { get; } = new(false);
}
