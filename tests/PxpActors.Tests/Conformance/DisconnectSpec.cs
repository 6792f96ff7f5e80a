using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Conformance;

/// <summary>The reference's disconnect cases (peer-exchange test/swarm.js "disconnect"), against our node.</summary>
public sealed class DisconnectSpec
{
    [Fact]
    public async Task Closing_one_node_must_remove_the_peer_on_the_other()
    {
        await using var a = await TestNode.StartAsync();
        var b = await TestNode.StartAsync();
        var connection = await a.Exchange.ConnectAsync(b.Address);
        await using var stream = connection.OpenStream();

        await b.Exchange.CloseAsync();

        var removed = await a.NextPeerRemovedAsync();
        Assert.False(removed.Incoming);
        Assert.Empty(a.Exchange.Peers);
        Assert.Equal(0, await stream.ReadToEndAsync()); // the application stream ends too
    }

    [Fact]
    public async Task Destroying_the_socket_must_remove_the_peer()
    {
        await using var node = await TestNode.StartAsync();
        var peer = await RawPxpPeer.ConnectAsync(node.Address);
        await peer.StartSessionAsync("test");
        await node.NextPeerAddedAsync();

        await peer.DisposeAsync();

        Assert.True((await node.NextPeerRemovedAsync()).Incoming);
        await node.WaitForSessionsAsync(0);
    }

    [Fact]
    public async Task CloseAsync_must_complete_and_refuse_new_peers()
    {
        var node = await TestNode.StartAsync();
        await node.Exchange.CloseAsync();

        var (a, _) = Transports.InMemoryDuplexStream.CreatePair();
        await Assert.ThrowsAsync<InvalidOperationException>(() => node.Exchange.ConnectAsync(a));
    }
}
