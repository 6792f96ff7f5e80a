using Akka.Actor;
using PxpActors.Simulation.Links;
using PxpActors.Simulation.WebRtc;

namespace PxpActors.Simulation;

/// <summary>How a <see cref="Simulation"/> is set up; every property has a default that suits a test.</summary>
public sealed record SimulationOptions
{
    /// <summary>The network every node joins (default <c>pxp-sim</c>).</summary>
    public string NetworkId { get; init; } = "pxp-sim";

    /// <summary>pxp.target-peers of every node: upkeep calls getNewPeer while a node has fewer (default 0: off).</summary>
    public int TargetPeers { get; init; }

    /// <summary>
    /// Run on virtual time: the systems run on Akka.TestKit's TestScheduler, the nodes read <see cref="Simulation.Clock"/>, and
    /// nothing timed happens until the test advances the clock (default false: real time).
    /// </summary>
    public bool VirtualTime { get; init; }

    /// <summary>How many ActorSystems the nodes are spread over, round robin (default 1). Ignored when <see cref="System"/> is given.</summary>
    public int Systems { get; init; } = 1;

    /// <summary>An ActorSystem of the caller's (a TestKit's <c>Sys</c>) to run every node in; it is not terminated by the simulation.</summary>
    public ActorSystem? System { get; init; }

    /// <summary>The conditions of new links (default <see cref="LinkConditions.Perfect"/>).</summary>
    public LinkConditions Links { get; init; } = LinkConditions.Perfect;

    /// <summary>How simulated WebRTC connections come up (default at once, never failing).</summary>
    public SimulatedWebRtcBehavior WebRtc { get; init; } = SimulatedWebRtcBehavior.Immediate;

    /// <summary>
    /// A node left with no peer, or cut off in an island away from the largest part of its partition, dials a random node of
    /// that part again, as a real node would re-dial its bootstrap address (default true): upkeep alone cannot help a node
    /// with no peer to ask, nor an island whose members only offer each other. Islands are found when
    /// <see cref="Simulation.AwaitGraphAsync"/> looks.
    /// </summary>
    public bool RejoinWhenIsolated { get; init; } = true;

    /// <summary>Seeds the simulation's own choices (topologies, crashes, rejoins); null: a random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// The base of every node's options (timeouts, relay rate, <c>Config</c> with further <c>pxp</c> keys); the simulation sets
    /// the WebRTC factory, the clock and target-peers on top of it.
    /// </summary>
    public PeerExchangeOptions? Node { get; init; }
}
