using Akka.Actor;
using PxpActors.Simulation.Remote;
using PxpActors.Simulation.Tests.Remote.Support;

namespace PxpActors.Simulation.Tests.Remote;

/// <summary>Nodes placed in two ActorSystems of this process through NodeHosts, driven by messages over Akka.Remote.</summary>
public sealed class NodeHostSpec : IAsyncLifetime
{
    private ActorSystem _a = null!;
    private ActorSystem _b = null!;
    private NodeHostClient _hostA = null!;
    private NodeHostClient _hostB = null!;

    public async Task InitializeAsync()
    {
        _a = RemoteSimulationConfig.CreateSystem("place-a");
        _b = RemoteSimulationConfig.CreateSystem("place-b");
        _hostA = new NodeHostClient(NodeHost.Start(_a));
        NodeHost.Start(_b);
        _hostB = await NodeHostClient.ResolveAsync(_a, RemoteSimulationConfig.AddressOf(_b)); // B's host as A sees it
    }

    public async Task DisposeAsync() => await Task.WhenAll(_a.Terminate(), _b.Terminate());

    [Fact]
    public async Task Nodes_in_two_systems_must_get_peers_in_each_other_through_getNewPeer()
    {
        var hub = await _hostA.CreateNodeAsync("hub");
        var a1 = await _hostA.CreateNodeAsync("a1");
        var b1 = await _hostB.CreateNodeAsync("b1");
        await _hostA.ConnectAsync("a1", _hostA, "hub");
        await _hostB.ConnectAsync("b1", _hostA, "hub");
        await Await.UntilAsync(async () => (await _hostA.ListPeersAsync("hub")).Count == 2, "the hub to hold a1 and b1");

        var peer = await _hostB.GetNewPeerAsync("b1");

        Assert.Equal(a1, peer.PeerNodeId);
        Assert.Equal("webrtc", peer.Transport);
        Assert.Equal("between systems", await _hostB.SendTextAsync("b1", a1, "between systems"));
        Assert.Contains(b1, (await _hostA.ListPeersAsync("a1")).Select(p => p.NodeId));
    }

    [Fact]
    public async Task A_link_to_a_node_the_host_does_not_have_must_fail_the_dialing_session_and_close()
    {
        await _hostB.CreateNodeAsync("b1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _hostB.ConnectAsync("b1", _hostA, "nobody"));

        Assert.Contains("ConnectNode failed", error.Message);
        Assert.Empty(await _hostB.ListPeersAsync("b1"));
        await Await.UntilAsync(async () => await TwoSystems.LinkCountAsync(await _hostA.EndpointAsync()) == 0
                                           && await TwoSystems.LinkCountAsync(await _hostB.EndpointAsync()) == 0, "no link sides left");
    }

    [Fact]
    public async Task Requests_about_unknown_nodes_and_duplicate_names_must_fail_with_the_reason()
    {
        await _hostB.CreateNodeAsync("b1");

        Assert.Contains("already exists", (await Assert.ThrowsAsync<InvalidOperationException>(() => _hostB.CreateNodeAsync("b1"))).Message);
        Assert.Contains("No node named x", (await Assert.ThrowsAsync<InvalidOperationException>(() => _hostB.ListPeersAsync("x"))).Message);
        Assert.Contains("opened no connection",
            (await Assert.ThrowsAsync<InvalidOperationException>(() => _hostB.SendTextAsync("b1", "n", "t"))).Message);
    }

    [Fact]
    public async Task Shutting_a_host_down_must_close_its_nodes_sessions_and_links()
    {
        var hub = await _hostA.CreateNodeAsync("hub");
        await _hostB.CreateNodeAsync("b1");
        await _hostB.ConnectAsync("b1", _hostA, "hub");
        Assert.Single(await _hostA.ListPeersAsync("hub"));
        var endpointA = await _hostA.EndpointAsync();
        var hostGone = _hostB.Host.WatchAsync();

        await _hostB.ShutdownAsync();

        await Await.WithinAsync(hostGone.ContinueWith(_ => true), "B's host to stop");
        await Await.UntilAsync(async () => (await _hostA.ListPeersAsync("hub")).Count == 0, "the hub to lose b1");
        await Await.UntilAsync(async () => await TwoSystems.LinkCountAsync(endpointA) == 0, "no link side left in A");
    }
}
