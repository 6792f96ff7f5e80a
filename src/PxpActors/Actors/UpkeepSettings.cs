using Akka.Configuration;

namespace PxpActors.Actors;

/// <summary>
/// Swarm upkeep: how many peers a node keeps with getNewPeer, how it backs off after failures, and the most peers it takes
/// from other nodes' getNewPeer.
/// </summary>
/// <param name="TargetPeers">Peers to keep (relayed sessions do not count); 0 turns upkeep off.</param>
/// <param name="MinBackoff">Wait after the first failure in a row.</param>
/// <param name="MaxBackoff">Longest wait; the backoff doubles on each failure up to it.</param>
/// <param name="RandomFactor">Each wait is lengthened by up to this fraction of itself, at random.</param>
public sealed record UpkeepSettings(int TargetPeers, TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor)
{
    /// <summary>
    /// Another node's getNewPeer is refused while this node has this many peers (<c>pxp.max-peers</c>); 0: no limit.
    /// </summary>
    public int MaxPeers { get; init; }

    /// <summary>Reads upkeep's keys (<c>target-peers</c> and its backoff) from a <c>pxp</c> config.</summary>
    public static UpkeepSettings Create(Config pxp)
    {
        var target = pxp.GetInt("target-peers");
        if (target < 0) throw new ConfigurationException($"pxp.target-peers must be 0 or more, not {target}");
        var max = pxp.GetInt("max-peers");
        if (max < 0) throw new ConfigurationException($"pxp.max-peers must be 0 or more, not {max}");
        var upkeep = pxp.GetConfig("upkeep");
        return new UpkeepSettings(target, upkeep.GetTimeSpan("min-backoff"), upkeep.GetTimeSpan("max-backoff"),
            upkeep.GetDouble("random-factor")) { MaxPeers = max }.Validated();
    }

    /// <summary>These settings, or a clear error when max-peers is set below target-peers (upkeep could never stop).</summary>
    public UpkeepSettings Validated() =>
        MaxPeers > 0 && MaxPeers < TargetPeers
            ? throw new ConfigurationException($"pxp.max-peers ({MaxPeers}) must be 0 or at least pxp.target-peers ({TargetPeers})")
            : this;

    /// <summary>Whether <paramref name="peers"/> peers are as many as this node takes from others' getNewPeer.</summary>
    public bool IsFull(int peers) => MaxPeers > 0 && peers >= MaxPeers;

    /// <summary>The wait before retrying after <paramref name="failures"/> failures in a row (1 or more).</summary>
    public TimeSpan Backoff(int failures, double random)
    {
        var doubled = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(doubled, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + RandomFactor * random));
    }
}
