using Akka.Actor;
using PxpActors.Simulation.Remote;
using PxpActors.Simulation.Tests.Remote.Support;

namespace PxpActors.Simulation.Tests.Remote;

/// <summary>
/// A simulation split over this process and a child process (PxpActors.Simulation.RemoteNode) joined by Akka.Remote on
/// loopback: NodeHosts in both, links between them over stream refs, getNewPeer upgrades over real WebRTC between processes.
/// </summary>
public sealed class TwoProcessSpec : IAsyncLifetime
{
    private static readonly TimeSpan PeerLoss = TimeSpan.FromSeconds(60);
    private ActorSystem _system = null!;
    private NodeHostClient _here = null!;

    public Task InitializeAsync()
    {
        _system = RemoteSimulationConfig.CreateSystem("parent");
        _here = new NodeHostClient(NodeHost.Start(_system));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.Terminate();

    [Fact]
    public async Task Nodes_must_get_peers_in_the_other_process_through_getNewPeer_and_exchange_data_over_them()
    {
        await using var child = await ChildNodeProcess.StartAsync();
        var there = await NodeHostClient.ResolveAsync(_system, child.Address);
        var hub = await _here.CreateNodeAsync("hub");
        var p1 = await _here.CreateNodeAsync("p1");
        var c1 = await there.CreateNodeAsync("c1");
        var c2 = await there.CreateNodeAsync("c2");
        Assert.Equal(hub, await _here.ConnectAsync("p1", _here, "hub"));
        Assert.Equal(hub, await there.ConnectAsync("c1", _here, "hub"));
        await HubHoldsAsync(p1, c1);

        // c1 (child) reaches p1 (parent): the hub's only other peer, upgraded to WebRTC across the processes.
        var fromChild = await there.GetNewPeerAsync("c1");
        Assert.Equal(p1, fromChild.PeerNodeId);
        Assert.Equal("webrtc", fromChild.Transport);
        Assert.Equal("across processes", await there.SendTextAsync("c1", p1, "across processes"));

        // p1 (parent) reaches c2 (child), the one node it has no session with yet.
        Assert.Equal(hub, await there.ConnectAsync("c2", _here, "hub"));
        await HubHoldsAsync(p1, c1, c2); // the hub's side of a session may finish its handshake after the dialing side
        var fromParent = await _here.GetNewPeerAsync("p1");
        Assert.Equal(c2, fromParent.PeerNodeId);
        Assert.Equal("webrtc", fromParent.Transport);
        Assert.Equal("and back", await _here.SendTextAsync("p1", c2, "and back"));

        var p1Peers = await _here.ListPeersAsync("p1");
        Assert.Equal(new[] { c1, c2, hub }.Order(), p1Peers.Select(p => p.NodeId).Order());
        await there.ShutdownAsync();
        await Await.WithinAsync(child.Process.WaitForExitAsync().ContinueWith(_ => true), "the child to exit after its host shut down");
    }

    [Fact]
    public async Task Killing_the_child_process_must_remove_its_nodes_from_the_peers_and_leave_nothing_behind()
    {
        await using var child = await ChildNodeProcess.StartAsync();
        var there = await NodeHostClient.ResolveAsync(_system, child.Address);
        var hub = await _here.CreateNodeAsync("hub");
        var p1 = await _here.CreateNodeAsync("p1");
        var c1 = await there.CreateNodeAsync("c1");
        await _here.ConnectAsync("p1", _here, "hub");
        await there.ConnectAsync("c1", _here, "hub");
        await HubHoldsAsync(p1, c1);
        Assert.Equal(p1, (await there.GetNewPeerAsync("c1")).PeerNodeId);
        Assert.Contains(c1, (await _here.ListPeersAsync("p1")).Select(p => p.NodeId));
        var endpoint = await _here.EndpointAsync();
        Assert.Equal(3, await TwoSystems.LinkCountAsync(endpoint)); // p1→hub both sides, c1→hub the accepting side

        child.Process.Kill(entireProcessTree: true);

        // Sessions over links fail within seconds (DeathWatch); the WebRTC session p1–c1 when its ICE consent expires (30 s).
        await Await.UntilAsync(async () => (await _here.ListPeersAsync("hub")).All(p => p.NodeId == p1), "the hub to drop c1");
        await Await.UntilAsync(async () => (await _here.ListPeersAsync("p1")).All(p => p.NodeId == hub), "p1 to drop c1", PeerLoss);
        Assert.False(child.NodeRunning);
        await Await.UntilAsync(async () => await TwoSystems.LinkCountAsync(endpoint) == 2, "only p1's link to the hub left");
    }

    private Task HubHoldsAsync(params string[] nodes) =>
        Await.UntilAsync(async () => nodes.All((await _here.ListPeersAsync("hub")).Select(p => p.NodeId).Contains),
            $"the hub to hold {string.Join(", ", nodes)}");

    [Fact]
    public async Task The_child_must_exit_when_its_parent_process_is_killed()
    {
        await using var child = await ChildNodeProcess.StartUnderShellAsync();
        Assert.True(child.NodeRunning);

        child.Process.Kill(); // the shell only: the node loses its parent

        await Await.UntilAsync(() => !child.NodeRunning, "the orphaned node to exit", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_child_must_exit_when_its_stdin_closes()
    {
        await using var child = await ChildNodeProcess.StartAsync();

        child.Process.StandardInput.Close();

        await Await.WithinAsync(child.Process.WaitForExitAsync().ContinueWith(_ => true), "the node to exit", TimeSpan.FromSeconds(30));
        Assert.Equal(0, child.Process.ExitCode);
    }
}
