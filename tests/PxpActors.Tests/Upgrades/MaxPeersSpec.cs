using Akka.Configuration;
using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Upgrades;

/// <summary>
/// pxp.max-peers: a node with that many peers refuses other nodes' getNewPeer (its hub's "incoming") with a clear error,
/// takes them again once it has fewer, and never refuses the connections its application makes itself.
/// </summary>
public sealed class MaxPeersSpec
{
    [Fact]
    public async Task A_full_candidate_must_refuse_getNewPeer_clearly_and_count_the_refusal()
    {
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync(options: new PeerExchangeOptions { GetNewPeerTimeout = TimeSpan.FromSeconds(3) });
        // The hub is B's one peer, and one is its maximum.
        await using var b = await TestNode.StartAsync(options: new PeerExchangeOptions { MaxPeers = 1 });
        await a.Exchange.AddPeerAsync(hub.Address);
        await b.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");

        var error = await Assert.ThrowsAsync<PxpRequestException>(() => a.Exchange.GetNewPeerAsync());

        Assert.Contains("pxp.max-peers", error.Message);
        await b.WaitForStatsAsync(s => s.Resources.Refusals.GetValueOrDefault("max-peers") >= 1 && s.Sessions == 1,
            "B: the refusal counted, the hub its only session");
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2 && s.Resources.Relays == 0, "the hub: A and B, no relay left");
    }

    [Fact]
    public async Task A_candidate_must_take_getNewPeer_again_once_it_has_fewer_than_its_maximum()
    {
        await using var hub = await TestNode.StartAsync();
        // A takes no incoming, so B is the only candidate the hub can offer C.
        await using var a = await TestNode.StartAsync(options: new PeerExchangeOptions { AllowIncoming = false });
        await using var b = await TestNode.StartAsync(options: new PeerExchangeOptions { MaxPeers = 2 });
        foreach (var node in new[] { a, b }) await node.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");
        var toB = await a.Exchange.GetNewPeerAsync(); // B's second peer: B is full now
        Assert.Equal(b.Exchange.NodeId, toB.Peer!.NodeId);
        await b.WaitForStatsAsync(s => s.ReadyPeers == 2 && s.Sessions == 2, "B: the hub and A");
        // C comes after A's getNewPeer, and takes no incoming either: B is the one candidate for C, then for D.
        await using var c = await TestNode.StartAsync(options: new PeerExchangeOptions
        {
            GetNewPeerTimeout = TimeSpan.FromSeconds(3), AllowIncoming = false,
        });
        await c.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 3, "A, B and C at the hub");

        var refused = await Assert.ThrowsAsync<PxpRequestException>(() => c.Exchange.GetNewPeerAsync());
        Assert.Contains("pxp.max-peers", refused.Message);
        await AssertNotAskedAgainAsync(c, b);

        await a.Exchange.DisconnectAsync(toB.Peer!);
        await b.WaitForStatsAsync(s => s.ReadyPeers == 1 && s.Sessions == 1, "B: the hub only");
        // A node new to B (C would leave B alone for a while after its refusal).
        await using var d = await TestNode.StartAsync();
        await d.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 4, "A, B, C and D at the hub");
        var toBAgain = await d.Exchange.GetNewPeerAsync();

        Assert.Equal(b.Exchange.NodeId, toBAgain.Peer!.NodeId);
    }

    /// <summary>A node that refused as full is not chosen again at once: the next getNewPeer fails without asking it.</summary>
    private static async Task AssertNotAskedAgainAsync(TestNode asker, TestNode full)
    {
        var refusals = (await full.StatsAsync()).Resources.Refusals.GetValueOrDefault("max-peers");
        Assert.True(refusals >= 1, $"{refusals} max-peers refusals");

        var again = await Assert.ThrowsAsync<PxpRequestException>(() => asker.Exchange.GetNewPeerAsync());

        Assert.Contains("refused us lately for having their maximum of peers", again.Message);
        Assert.Equal(refusals, (await full.StatsAsync()).Resources.Refusals.GetValueOrDefault("max-peers"));
    }

    [Fact]
    public async Task A_full_node_must_still_take_the_connections_its_application_makes()
    {
        await using var hub = await TestNode.StartAsync();
        await using var other = await TestNode.StartAsync();
        await using var node = await TestNode.StartAsync(options: new PeerExchangeOptions { MaxPeers = 1 });
        await node.Exchange.AddPeerAsync(hub.Address);

        await node.Exchange.AddPeerAsync(other.Address);

        await node.WaitForStatsAsync(s => s.ReadyPeers == 2, "the hub and the other node, past max-peers");
    }

    [Theory]
    [InlineData("pxp { target-peers = 8, max-peers = 4 }", "pxp.max-peers (4) must be 0 or at least pxp.target-peers (8)")]
    [InlineData("pxp.max-peers = -1", "pxp.max-peers must be 0 or more, not -1")]
    public void Settings_must_refuse_a_max_peers_that_upkeep_could_not_keep(string hocon, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => ExchangeSettings.Create(ConfigurationFactory.ParseString(hocon)));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Options_must_refuse_a_max_peers_below_target_peers()
    {
        var options = new PeerExchangeOptions { TargetPeers = 3, MaxPeers = 2 };

        var error = Assert.Throws<ConfigurationException>(() => new PeerExchange("test", options));

        Assert.Contains("pxp.max-peers (2)", error.Message);
    }
}
