using Akka.Configuration;

namespace PxpActors.Actors;

/// <summary>Swarm upkeep: how many peers a node keeps with getNewPeer, and how it backs off after failures.</summary>
/// <param name="TargetPeers">Peers to keep (relayed sessions do not count); 0 turns upkeep off.</param>
/// <param name="MinBackoff">Wait after the first failure in a row.</param>
/// <param name="MaxBackoff">Longest wait; the backoff doubles on each failure up to it.</param>
/// <param name="RandomFactor">Each wait is lengthened by up to this fraction of itself, at random.</param>
public sealed record UpkeepSettings(int TargetPeers, TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor)
{
    /// <summary>Reads upkeep's keys (<c>target-peers</c> and its backoff) from a <c>pxp</c> config.</summary>
    public static UpkeepSettings Create(Config pxp)
    {
        var target = pxp.GetInt("target-peers");
        if (target < 0) throw new ConfigurationException($"pxp.target-peers must be 0 or more, not {target}");
        var upkeep = pxp.GetConfig("upkeep");
        return new UpkeepSettings(target, upkeep.GetTimeSpan("min-backoff"), upkeep.GetTimeSpan("max-backoff"),
            upkeep.GetDouble("random-factor"));
    }

    /// <summary>The wait before retrying after <paramref name="failures"/> failures in a row (1 or more).</summary>
    public TimeSpan Backoff(int failures, double random)
    {
        var doubled = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(doubled, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + RandomFactor * random));
    }
}
