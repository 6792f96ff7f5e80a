using Akka.TestKit.Xunit2;
using PxpActors.Actors;
using PxpActors.Simulation.Observation;
using PxpActors.Simulation.Topologies;

namespace PxpActors.Simulation.Tests.Observation;

/// <summary>A simulation inside a TestKit's own system: probes get a node's events, the graph measures what was built.</summary>
public sealed class NodeProbeSpec : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_probe_subscribed_to_a_node_must_receive_its_peer_events_and_the_graph_must_measure_a_ring()
    {
        // -- readme example start
        var sim = new Simulation(new SimulationOptions { System = Sys, RejoinWhenIsolated = false });
        var nodes = sim.AddNodes(6);
        var probe = CreateTestProbe();
        nodes[0].Subscribe(probe.Ref);

        await sim.ConnectAsync(Topology.Ring());
        var added = probe.ExpectMsg<PxpExchange.PeerAdded>(Timeout);
        Assert.Equal("memory", added.Peer.Transport);
        var ring = await sim.AwaitGraphAsync(g => g.Edges.Count == 6, Timeout, "the ring");
        Assert.Equal(new Dictionary<int, int> { [2] = 6 }, ring.DegreeDistribution);
        Assert.Equal(3, ring.Diameter);
        Assert.False(ring.IsCutVertex(nodes[0].Name));
        Assert.Contains(nodes[0].Events, e => e.Kind == NodeEventKind.PeerAdded);

        await sim.CrashAsync(nodes[1]);
        probe.FishForMessage<PxpExchange.PeerRemoved>(_ => true, Timeout);
        var line = await sim.AwaitGraphAsync(g => g.Nodes.Count == 5 && g.Edges.Count == 4, Timeout, "a line of 5");
        Assert.Equal(4, line.Diameter);
        Assert.True(line.IsCutVertex(nodes[3].Name));
        // -- readme example end

        // Disposed, it closes its nodes but leaves the system it was given running.
        await sim.DisposeAsync();
        Assert.Empty(sim.LiveNodes);
        Assert.False(Sys.WhenTerminated.IsCompleted);
    }
}
