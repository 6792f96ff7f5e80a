using System.Diagnostics;
using Akka.Configuration;
using PxpActors.Simulation.Observation;
using PxpActors.Simulation.Topologies;
using Xunit.Abstractions;

namespace PxpActors.Simulation.Tests.Swarm;

/// <summary>A swarm of 100 nodes from one seed, on real time: degree, crashes, and that nothing outlives the simulation.</summary>
public sealed class SwarmSpec(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    // Upkeep retries within seconds, not the default minute, once failures pile up after a crash.
    private static readonly PeerExchangeOptions Node = new() { Config = ConfigurationFactory.ParseString("pxp.upkeep.max-backoff = 4s") };

    [Fact]
    public async Task Hundred_nodes_from_one_seed_must_reach_their_target_degree_recover_from_losing_30_percent_and_leave_nothing_open()
    {
        const int target = 4;
        var clock = Stopwatch.StartNew();
        await using var sim = new Simulation(new SimulationOptions { TargetPeers = target, Seed = 16, Node = Node });
        var baseline = sim.Census();
        var nodes = sim.AddNodes(100);

        await sim.ConnectAsync(Topology.Star(seed: 0));
        var formed = await sim.AwaitGraphAsync(g => g.MinDegree >= target && g.IsConnected, Timeout, $"degree {target}, connected");
        output.WriteLine($"formed in {clock.Elapsed.TotalSeconds:0.0} s: {formed}; diameter {formed.Diameter}");
        Assert.Equal(100, formed.Nodes.Count);
        // Upkeep found peers through getNewPeer: far more edges than the 99 bootstrap links.
        Assert.True(formed.Edges.Count > 150, formed.ToString());
        Assert.True(sim.WebRtc.OpenChannels > 50, $"{sim.WebRtc.OpenChannels} WebRTC channels");

        var crashed = await sim.CrashRandomAsync(0.3);
        Assert.Equal(30, crashed.Count);
        var recovered = await sim.AwaitGraphAsync(g => g.Nodes.Count == 70 && g.MinDegree >= target && g.IsConnected, Timeout,
            $"the 70 survivors at degree {target}, connected");
        output.WriteLine($"recovered at {clock.Elapsed.TotalSeconds:0.0} s: {recovered}; diameter {recovered.Diameter}");

        await sim.CloseNodesAsync();
        await AwaitCensusAsync(sim, baseline, c => c.Actors == baseline.Actors && c.Links == 0 && c.WebRtcConnections == 0 && c.WebRtcChannels == 0);
        output.WriteLine($"closed at {clock.Elapsed.TotalSeconds:0.0} s; census {sim.Census()} (baseline {baseline})");
    }

    [Fact]
    public async Task Two_halves_joined_by_one_bridge_must_stay_connected_without_it_once_its_peers_spread()
    {
        // Each half holds 6 nodes: a node can have at most 5 peers in its half and the bridge, so a target of 7 takes every
        // node across, and the only way across at first is through the bridge.
        const int half = 6;
        await using var sim = new Simulation(new SimulationOptions { TargetPeers = 7, Seed = 7, Node = Node });
        var left = sim.AddNodes(half);
        var right = sim.AddNodes(half);
        var bridge = sim.AddNode("bridge");
        await sim.ConnectAsync(Topology.Ring(), left);
        await sim.ConnectAsync(Topology.Ring(), right);
        await sim.ConnectAsync(bridge, left[0]);
        await sim.ConnectAsync(bridge, right[0]);

        var spread = await sim.AwaitGraphAsync(g => g.IsConnected && !g.IsCutVertex("bridge") && g.MinDegree >= 7, Timeout,
            "a graph the bridge no longer holds together");
        output.WriteLine(spread.ToString());
        var across = spread.Edges.Count(e => e.A != "bridge" && e.B != "bridge" && left.Any(n => n.Name == e.A) != left.Any(n => n.Name == e.B));
        Assert.True(across > 0, "no edge joins the halves but the bridge's");

        await sim.CrashAsync(bridge);
        var without = await sim.AwaitGraphAsync(g => g.Nodes.Count == 2 * half, Timeout, "the bridge gone");
        Assert.True(without.IsConnected, without.ToString());
    }

    private static async Task AwaitCensusAsync(Simulation sim, SimulationCensus baseline,
        Func<SimulationCensus, bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition(sim.Census()))
        {
            Assert.True(DateTime.UtcNow < deadline, $"still open: {sim.Census()}, baseline {baseline}: {string.Join(", ", sim.ActorPaths())}");
            await Task.Delay(50);
        }
    }
}
