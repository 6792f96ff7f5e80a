using PxpActors.Simulation.Remote;

namespace PxpActors.Simulation.Tests.Remote.Support;

/// <summary>
/// The scenario both cross-system WebRTC specs run, whatever joins the two hosts (two systems of this process, or two
/// processes): a hub and p1 in <c>here</c>, c1 and c2 in <c>there</c>; getNewPeer from each side reaches the other over
/// the hosts' simulated WebRTC, data flows, and once every node is closed both hosts hold nothing more than before.
/// </summary>
public static class SimulatedUpgradeAcross
{
    public static async Task RunAsync(NodeHostClient here, NodeHostClient there)
    {
        var baseHere = await here.CensusAsync();
        var baseThere = await there.CensusAsync();
        var hub = await here.CreateNodeAsync("hub");
        var p1 = await here.CreateNodeAsync("p1");
        var c1 = await there.CreateNodeAsync("c1");
        var c2 = await there.CreateNodeAsync("c2");
        Assert.Equal(hub, await here.ConnectAsync("p1", here, "hub"));
        Assert.Equal(hub, await there.ConnectAsync("c1", here, "hub"));
        await HubHoldsAsync(here, p1, c1);

        // c1 reaches p1, the hub's only other peer: the simulated WebRTC's link goes from c1's system to p1's.
        var fromThere = await there.GetNewPeerAsync("c1");
        Assert.Equal(p1, fromThere.PeerNodeId);
        Assert.Equal("webrtc", fromThere.Transport);
        Assert.Equal("across systems", await there.SendTextAsync("c1", p1, "across systems"));
        Assert.Equal(1, (await here.CensusAsync()).WebRtcLinkSides);
        Assert.Equal(1, (await there.CensusAsync()).WebRtcLinkSides);

        // p1 reaches c2, the one node it has no session with yet: now the link goes the other way.
        Assert.Equal(hub, await there.ConnectAsync("c2", here, "hub"));
        await HubHoldsAsync(here, p1, c1, c2);
        var fromHere = await here.GetNewPeerAsync("p1");
        Assert.Equal(c2, fromHere.PeerNodeId);
        Assert.Equal("webrtc", fromHere.Transport);
        var large = new string('x', 100_000); // several messages and link chunks, reassembled in order
        Assert.Equal(large, await here.SendTextAsync("p1", c2, large));
        Assert.Equal(new[] { c1, c2, hub }.Order(), (await here.ListPeersAsync("p1")).Select(p => p.NodeId).Order());
        Assert.Equal(2, (await here.CensusAsync()).WebRtcLinkSides);
        Assert.Equal(2, (await there.CensusAsync()).WebRtcLinkSides);
        Assert.Equal(2, (await here.CensusAsync()).WebRtcChannels); // p1's ends of both channels

        await Task.WhenAll(here.CloseNodesAsync(), there.CloseNodesAsync());

        await Await.UntilAsync(async () => await here.CensusAsync() == baseHere && await there.CensusAsync() == baseThere,
            "both hosts back to their census before the nodes", TimeSpan.FromSeconds(30));
    }

    private static Task HubHoldsAsync(NodeHostClient host, params string[] nodes) =>
        Await.UntilAsync(async () => nodes.All((await host.ListPeersAsync("hub")).Select(p => p.NodeId).Contains),
            $"the hub to hold {string.Join(", ", nodes)}");
}
