using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Upgrades;

/// <summary>Many getNewPeer calls at once, and swarm upkeep, on swarms of our nodes over TCP and real WebRTC.</summary>
public sealed class SwarmSpec
{
    [Fact]
    public async Task Twenty_concurrent_getNewPeer_calls_on_ten_nodes_must_all_succeed_without_duplicate_connections()
    {
        var nodes = new List<TestNode>();
        try
        {
            for (var i = 0; i < 10; i++) nodes.Add(await TestNode.StartAsync());
            var hub = nodes[0];
            foreach (var node in nodes.Skip(1)) await node.Exchange.AddPeerAsync(hub.Address);
            await hub.WaitForStatsAsync(s => s.ReadyPeers == 9, "nine nodes at the hub");

            // 20 calls from the nine others, two or three each, all at once.
            var calls = Enumerable.Range(0, 20).Select(i => nodes[1 + i % 9].Exchange.GetNewPeerAsync()).ToList();
            PxpConnection[] connections;
            try
            {
                connections = await Task.WhenAll(calls);
            }
            catch (Exception e)
            {
                var peers = nodes.Select(n => $"{n.Exchange.NodeId}: " + string.Join(", ", n.Exchange.Peers.Select(p => $"{p.Id}->{p.NodeId}"))
                    + "\n   errors: " + string.Join(" | ", n.ErrorLog));
                throw new Xunit.Sdk.XunitException($"{e.Message}\n{string.Join("\n", peers)}");
            }

            Assert.All(connections, c => Assert.Equal("webrtc", c.Transport));
            foreach (var node in nodes.Skip(1))
            {
                // Each WebRTC session of a node reaches a different node, and each of its calls made one.
                await node.WaitForStatsAsync(s => s.Sessions == s.ReadyPeers && s.Resources.Upgrades == 0, "no session or upgrade in progress");
                var reached = node.Exchange.Peers.Where(p => p.Transport == "webrtc").Select(p => p.NodeId).ToList();
                Assert.Equal(reached.Count, reached.Distinct().Count());
                Assert.DoesNotContain(node.Exchange.NodeId, reached);
            }
            var total = nodes.Skip(1).Sum(n => n.Exchange.Peers.Count(p => p.Transport == "webrtc"));
            Assert.Equal(2 * 20, total); // each connection has two ends
            await hub.WaitForStatsAsync(s => s.ReadyPeers == 9 && s.Resources.Relays == 0, "the hub keeps all nine, no relay left");
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Upkeep_must_bring_every_node_to_its_target_peer_count_and_back_after_a_peer_leaves()
    {
        // Short backoffs: a getNewPeer that finds no usable candidate (asked a peer whose peers it has) backs off, and the
        // default doubling from 1 s outlasts the wait below after three misses; backoff itself is tested on virtual time.
        var options = new PeerExchangeOptions
        {
            TargetPeers = 3,
            Config = Akka.Configuration.ConfigurationFactory.ParseString("pxp.upkeep { min-backoff = 100ms, max-backoff = 500ms }"),
        };
        await using var hub = await TestNode.StartAsync();
        var nodes = new List<TestNode>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var node = await TestNode.StartAsync(options: options);
                nodes.Add(node);
                await node.Exchange.AddPeerAsync(hub.Address);
            }
            foreach (var node in nodes) await node.WaitForStatsAsync(s => DirectPeers(node) >= 3, "three peers");

            // One node leaves: those it was connected to get back to three.
            var leaving = nodes[0];
            nodes.RemoveAt(0);
            await leaving.DisposeAsync();
            foreach (var node in nodes) await node.WaitForStatsAsync(s => DirectPeers(node) >= 3, "three peers again");
            foreach (var node in nodes)
            {
                var reached = node.Exchange.Peers.Where(p => p.Transport == "webrtc").Select(p => p.NodeId).ToList();
                Assert.Equal(reached.Count, reached.Distinct().Count());
            }
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    private static int DirectPeers(TestNode node) => node.Exchange.Peers.Count(p => !p.Relayed);
}
