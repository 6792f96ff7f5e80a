using PxpActors.Actors;

namespace PxpActors.Simulation.Observation;

/// <summary>Something that happened to one simulated node, as its exchange reported it.</summary>
/// <param name="At">When, on the simulation's clock.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Peer">The session concerned, when there is one.</param>
/// <param name="Error">Why a session ended or failed; null for an orderly end.</param>
public sealed record NodeEvent(DateTimeOffset At, NodeEventKind Kind, PeerInfo? Peer, Exception? Error);

/// <summary>The kinds of <see cref="NodeEvent"/>.</summary>
public enum NodeEventKind
{
    /// <summary>A session finished its handshake.</summary>
    PeerAdded,

    /// <summary>A session ended.</summary>
    PeerRemoved,

    /// <summary>A session failed (its peer or transport).</summary>
    PeerFailed,
}
