using System.Text;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Conformance;

/// <summary>The reference's connect cases (pxp test/peer.js "connect", peer-exchange test/swarm.js "connect"/"accept").</summary>
public sealed class ConnectSpec : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("test");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Node_must_answer_connect_on_an_unsupported_network_with_an_error_and_keep_the_session()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new Connect("1", "other"));

        var reply = await peer.ReceiveAsync<Response>(r => r.Nonce == "1");
        Assert.Equal("Peer tried to connect for unsupported network \"other\"", Replies.ReadStatus(reply.Args).Error);

        await peer.SendRpcAsync(new GetPeers("2", "test"));
        var candidates = await peer.ReceiveAsync<Response>(r => r.Nonce == "2");
        Assert.True(Replies.ReadCandidates(candidates.Args).IsSuccess);
    }

    [Fact]
    public async Task Node_must_refuse_a_second_connect_for_the_same_network_and_close()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new Connect("1", "test"));
        Assert.True(Replies.ReadStatus((await peer.ReceiveAsync<Response>(r => r.Nonce == "1")).Args).IsSuccess);

        await peer.SendRpcAsync(new Connect("2", "test"));
        var second = await peer.ReceiveAsync<Response>(r => r.Nonce == "2");
        Assert.Equal("Peer tried to connect to network \"test\" twice", Replies.ReadStatus(second.Args).Error);
        Assert.Equal("Peer tried to connect to network \"test\" twice", (await _node.NextPeerErrorAsync()).Message);
        await peer.WaitClosedAsync();
    }

    [Fact]
    public async Task Two_outgoing_nodes_must_fail_with_connect_twice()
    {
        var (a, b) = Transports.InMemoryDuplexStream.CreatePair();
        await using var other = await TestNode.StartAsync("test");
        var first = _node.Exchange.ConnectAsync(a, "memory");
        var second = other.Exchange.ConnectAsync(b, "memory");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Task.WhenAll(first, second));
        Assert.Contains("twice", failure.Message);
    }

    [Fact]
    public async Task Node_must_open_the_data_stream_on_connect_and_carry_bytes_both_ways()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new Connect("1", "test"));
        Assert.True(Replies.ReadStatus((await peer.ReceiveAsync<Response>(r => r.Nonce == "1")).Args).IsSuccess);

        var connection = await _node.NextConnectionAsync();
        Assert.True(connection.Incoming);
        await using var stream = connection.OpenStream();
        await stream.WriteAsync("foo"u8.ToArray());
        Assert.Equal("foo", Encoding.UTF8.GetString(await peer.ReceiveDataAsync("data:test")));

        await peer.SendFrameAsync(1, Protocol.Framing.FrameType.Open, "data:test"u8.ToArray());
        await peer.SendFrameAsync(1, Protocol.Framing.FrameType.DataFromCreator, "bar"u8.ToArray());
        Assert.Equal("bar", Encoding.UTF8.GetString(await stream.ReadExactlyAsync(3)));
    }

    [Fact]
    public async Task Simple_connect_and_accept_must_exchange_data_and_count_one_peer_each()
    {
        var (a, b) = Transports.InMemoryDuplexStream.CreatePair();
        await using var other = await TestNode.StartAsync("test");
        var outgoing = _node.Exchange.ConnectAsync(a, "memory");
        var incoming = other.Exchange.AcceptAsync(b, "memory");
        await Task.WhenAll(outgoing, incoming);

        Assert.Single(_node.Exchange.Peers);
        Assert.Single(other.Exchange.Peers);
        await using var s1 = (await outgoing).OpenStream();
        await using var s2 = (await incoming).OpenStream();
        await s1.WriteAsync("123"u8.ToArray());
        await s2.WriteAsync("456"u8.ToArray());
        Assert.Equal("123", Encoding.UTF8.GetString(await s2.ReadExactlyAsync(3)));
        Assert.Equal("456", Encoding.UTF8.GetString(await s1.ReadExactlyAsync(3)));
    }

    [Fact]
    public async Task Connect_with_incompatible_networks_must_fail_on_both_sides()
    {
        var (a, b) = Transports.InMemoryDuplexStream.CreatePair();
        await using var other = await TestNode.StartAsync("somenet2");
        var outgoing = _node.Exchange.ConnectAsync(a, "memory");
        var incoming = other.Exchange.AcceptAsync(b, "memory");

        Assert.Equal("Peer does not have any networks in common.", (await Assert.ThrowsAnyAsync<Exception>(() => outgoing)).Message);
        Assert.Equal("Peer does not have any networks in common.", (await Assert.ThrowsAnyAsync<Exception>(() => incoming)).Message);
    }
}
