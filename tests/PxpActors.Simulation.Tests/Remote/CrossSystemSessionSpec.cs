using System.Text;
using PxpActors.Actors;
using PxpActors.Simulation.Remote;
using PxpActors.Simulation.Tests.Remote.Support;

namespace PxpActors.Simulation.Tests.Remote;

/// <summary>PXP sessions between nodes in two ActorSystems of this process, over cross-system links (stream refs over Akka.Remote).</summary>
public sealed class CrossSystemSessionSpec
{
    [Fact]
    public async Task A_link_must_carry_a_pxp_handshake_and_application_data_both_ways()
    {
        await using var systems = await TwoSystems.StartAsync();
        await using var a = new SimNode(systems.A);
        await using var b = new SimNode(systems.B);

        var (aConnection, bConnection) = await ConnectAsync(systems, a, b);

        Assert.Equal(b.Exchange.NodeId, aConnection.Peer!.NodeId);
        Assert.Equal(a.Exchange.NodeId, bConnection.Peer!.NodeId);
        Assert.Equal("remote", aConnection.Transport);
        await using var aStream = aConnection.OpenStream();
        await using var bStream = bConnection.OpenStream();
        await aStream.WriteAsync(Encoding.UTF8.GetBytes("from a"));
        await bStream.WriteAsync(Encoding.UTF8.GetBytes("from b"));
        Assert.Equal("from a", await ReadTextAsync(bStream, 6));
        Assert.Equal("from b", await ReadTextAsync(aStream, 6));

        // More than a stream-ref chunk at once arrives whole and in order.
        var big = new byte[200_000];
        new Random(16).NextBytes(big);
        await aStream.WriteAsync(big);
        var received = new byte[big.Length];
        await bStream.ReadExactlyAsync(received, new CancellationTokenSource(Await.Timeout).Token);
        Assert.Equal(big, received);
    }

    [Fact]
    public async Task A_hub_in_the_other_system_must_answer_getpeers_and_relay_between_its_peers()
    {
        await using var systems = await TwoSystems.StartAsync();
        await using var hub = new SimNode(systems.B);
        await using var a = new SimNode(systems.A);
        await using var c = new SimNode(systems.A);
        await ConnectAsync(systems, a, hub);
        await ConnectAsync(systems, c, hub);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and C at the hub");

        var hubPeer = a.Exchange.Peers.Single();
        var candidates = await a.Exchange.GetPeersAsync(hubPeer);
        var candidate = Assert.Single(candidates);
        var relayed = await a.Exchange.ConnectAsync(await a.Exchange.RelayAsync(hubPeer, candidate));
        var atC = await c.NextConnectionAsync(x => x.Transport == "relay");

        Assert.Equal(c.Exchange.NodeId, relayed.Peer!.NodeId);
        await using var aStream = relayed.OpenStream();
        await using var cStream = atC.OpenStream();
        await aStream.WriteAsync(Encoding.UTF8.GetBytes("via the hub"));
        Assert.Equal("via the hub", await ReadTextAsync(cStream, 11));
        await cStream.WriteAsync(Encoding.UTF8.GetBytes("back"));
        Assert.Equal("back", await ReadTextAsync(aStream, 4));
    }

    [Fact]
    public async Task Closing_one_side_must_end_the_other_sides_session_and_close_both_link_sides()
    {
        await using var systems = await TwoSystems.StartAsync();
        await using var a = new SimNode(systems.A);
        await using var b = new SimNode(systems.B);
        var (aConnection, _) = await ConnectAsync(systems, a, b);
        Assert.Equal(1, await TwoSystems.LinkCountAsync(systems.EndpointA));
        Assert.Equal(1, await TwoSystems.LinkCountAsync(systems.EndpointB));

        await a.Exchange.DisconnectAsync(aConnection.Peer!);

        var (removed, _) = await b.NextPeerRemovedAsync();
        Assert.Equal(a.Exchange.NodeId, removed.NodeId);
        await b.WaitForStatsAsync(s => s.Sessions == 0, "B without sessions");
        await systems.NoLinksLeftAsync();
    }

    [Fact]
    public async Task Stopping_a_system_must_fail_the_link_and_the_node_must_remove_the_peer()
    {
        await using var systems = await TwoSystems.StartAsync();
        await using var a = new SimNode(systems.A);
        var b = new SimNode(systems.B);
        await ConnectAsync(systems, a, b);

        await systems.B.Terminate();

        var (removed, reason) = await a.NextPeerRemovedAsync();
        Assert.Equal(b.Exchange.NodeId, removed.NodeId);
        Assert.NotNull(reason);
        await a.WaitForStatsAsync(s => s.Sessions == 0, "A without sessions");
        await systems.NoLinksLeftAsync();
    }

    private static async Task<(PxpConnection A, PxpConnection B)> ConnectAsync(TwoSystems systems, SimNode a, SimNode b)
    {
        var (flowA, incoming) = await systems.LinkAsync();
        var accepted = b.Exchange.AcceptAsync(incoming.Flow, "remote");
        var connected = a.Exchange.ConnectAsync(flowA, "remote");
        return (await Await.WithinAsync(connected, "A's session"), await Await.WithinAsync(accepted, "B's session"));
    }

    private static async Task<string> ReadTextAsync(Stream stream, int length)
    {
        var buffer = new byte[length];
        using var timeout = new CancellationTokenSource(Await.Timeout);
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer);
    }
}
