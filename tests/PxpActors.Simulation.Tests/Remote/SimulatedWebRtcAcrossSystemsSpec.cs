using Akka.Actor;
using PxpActors.Simulation.Remote;
using PxpActors.Simulation.Tests.Remote.Support;

namespace PxpActors.Simulation.Tests.Remote;

/// <summary>
/// getNewPeer between nodes of different ActorSystems over the simulated WebRTC (NodeHosts started with simulatedWebRtc):
/// the offer names the offering system's endpoint, the answering side dials a cross-system link to it, and the data channel
/// runs over that link; in two systems of this process, and in this process and a child process.
/// </summary>
public sealed class SimulatedWebRtcAcrossSystemsSpec : IAsyncLifetime
{
    private ActorSystem _a = null!;
    private NodeHostClient _here = null!;

    public Task InitializeAsync()
    {
        _a = RemoteSimulationConfig.CreateSystem("webrtc-a");
        _here = new NodeHostClient(NodeHost.Start(_a, simulatedWebRtc: true));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _a.Terminate();

    [Fact]
    public async Task Nodes_in_two_systems_of_one_process_must_upgrade_to_each_other_over_links_and_leave_nothing_behind()
    {
        var b = RemoteSimulationConfig.CreateSystem("webrtc-b");
        try
        {
            NodeHost.Start(b, simulatedWebRtc: true);
            var there = await NodeHostClient.ResolveAsync(_a, RemoteSimulationConfig.AddressOf(b));

            await SimulatedUpgradeAcross.RunAsync(_here, there);
        }
        finally
        {
            await b.Terminate();
        }
    }

    [Fact]
    public async Task Nodes_in_two_processes_must_upgrade_to_each_other_over_links_and_leave_nothing_behind()
    {
        await using var child = await ChildNodeProcess.StartAsync(simulatedWebRtc: true);
        var there = await NodeHostClient.ResolveAsync(_a, child.Address);

        await SimulatedUpgradeAcross.RunAsync(_here, there);

        await there.ShutdownAsync();
        await Await.WithinAsync(child.Process.WaitForExitAsync().ContinueWith(_ => true), "the child to exit after its host shut down");
    }

    [Fact]
    public async Task Killing_the_other_process_must_end_the_upgraded_sessions_within_seconds()
    {
        await using var child = await ChildNodeProcess.StartAsync(simulatedWebRtc: true);
        var there = await NodeHostClient.ResolveAsync(_a, child.Address);
        var hub = await _here.CreateNodeAsync("hub");
        var p1 = await _here.CreateNodeAsync("p1");
        var c1 = await there.CreateNodeAsync("c1");
        await _here.ConnectAsync("p1", _here, "hub");
        await there.ConnectAsync("c1", _here, "hub");
        await Await.UntilAsync(async () => (await _here.ListPeersAsync("hub")).Count == 2, "the hub to hold p1 and c1");
        Assert.Equal(p1, (await there.GetNewPeerAsync("c1")).PeerNodeId);

        child.Process.Kill(entireProcessTree: true);

        // Not ICE consent's 30 s: the link fails once DeathWatch gives the process up (3 s) and its end is not in flight (2 s).
        await Await.UntilAsync(async () => (await _here.ListPeersAsync("p1")).All(p => p.NodeId == hub), "p1 to drop c1",
            TimeSpan.FromSeconds(25));
        await Await.UntilAsync(async () => (await _here.CensusAsync()) is { WebRtcLinkSides: 0, WebRtcConnections: 0, WebRtcChannels: 0 },
            "p1's side of the upgraded connection to be gone");
    }
}
