using System.Security.Cryptography;
using System.Text;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.BadInput;

/// <summary>Runs alone: it counts the process's open sockets, which tests running beside it would change.</summary>
[CollectionDefinition(nameof(SocketCounting), DisableParallelization = true)]
public sealed class SocketCounting;

/// <summary>
/// Each kind of bad input over a real socket, against a node that also serves a healthy peer: the bad
/// peer gets a clear error and is closed; the healthy peer's data is intact; the node's session actors
/// and open sockets return to where they were.
/// </summary>
[Collection(nameof(SocketCounting))]
public sealed class BadInputSpec : IAsyncLifetime
{
    private TestNode _node = null!;
    private TestNode _healthy = null!;
    private Stream _healthyAtNode = null!;
    private Stream _healthyAtPeer = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync("test", new PeerExchangeOptions { WriteTimeout = TimeSpan.FromSeconds(1) });
        _healthy = await TestNode.StartAsync("test");
        var outgoing = await _healthy.Exchange.ConnectAsync(_node.Address);
        _healthyAtPeer = outgoing.OpenStream();
        _healthyAtNode = (await _node.NextConnectionAsync()).OpenStream();
        await AssertHealthyPeerIntact();
    }

    public async Task DisposeAsync()
    {
        await _healthyAtPeer.DisposeAsync();
        await _healthyAtNode.DisposeAsync();
        await _healthy.DisposeAsync();
        await _node.DisposeAsync();
    }

    [Fact]
    public Task Wrong_magic() => AssertIsolated(
        peer => peer.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray()),
        "Invalid magic value, peer not using PXP");

    [Fact]
    public Task Truncated_varint() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            await peer.SendAsync(new byte[] { 0x82 });
            peer.EndSending(); // ends the connection in the middle of the header, still reading what the node sends
        },
        "Connection ended in the middle of a multiplex frame");

    [Fact]
    public Task Overlong_varint() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            await peer.SendAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 });
        },
        "Multiplex varint is longer than 32 bits");

    [Fact]
    public Task Frame_over_the_limit() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            var header = new byte[10];
            var n = Varint.Write(0 << 3 | (uint)FrameType.DataFromCreator, header);
            n += Varint.Write(2 * 1024 * 1024, header.AsSpan(n));
            await peer.SendAsync(header.AsMemory(0, n));
        },
        "Multiplex frame of 2097152 bytes exceeds the limit of 1048576 bytes");

    [Fact]
    public Task Invalid_utf8() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            await peer.SendLineAsync([(byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']', (byte)'\n']);
        },
        "Peer sent invalid");

    [Fact]
    public Task Invalid_json() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            await peer.SendLineAsync("{not json");
        },
        "Peer sent invalid JSON");

    [Fact]
    public Task Rpc_message_that_is_not_an_array() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            await peer.SendLineAsync("""{"command":"getpeers"}""");
        },
        "Peer sent invalid PXP message: not a [command, nonce, args] array");

    [Fact]
    public Task Unknown_command() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            await peer.SendLineAsync("""["hack","1",null]""");
        },
        "Peer sent unknown PXP message: \"hack\"");

    [Fact]
    public Task Wrong_argument_types() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            await peer.SendLineAsync("""["getpeers","1",42]""");
        },
        "Peer sent invalid getpeers: args must be a string");

    [Fact]
    public Task Reply_for_an_unknown_nonce() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            await peer.SendLineAsync("""["res","zz",null]""");
        },
        "Peer sent a reply for unknown request nonce \"zz\"");

    [Fact]
    public Task GetPeers_flood() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            var flood = new MemoryStream();
            for (var i = 0; i < 1000; i++)
                flood.Write(new Frame(0, FrameType.DataFromCreator, RpcCodec.Encode(new GetPeers(Nonce.Format(i + 1), "test"))).ToArray());
            await peer.SendAsync(flood.ToArray());
        },
        "Peer is flooding: more than 100 requests per second");

    [Fact]
    public Task Thousands_of_substreams() => AssertIsolated(async peer =>
        {
            await peer.StartSessionAsync("test");
            var opens = new MemoryStream();
            for (uint channel = 1; channel <= 3000; channel++)
                opens.Write(new Frame(channel, FrameType.Open, Encoding.UTF8.GetBytes($"s{channel}")).ToArray());
            await peer.SendAsync(opens.ToArray());
        },
        "Peer opened more than 1024 substreams");

    [Fact]
    public async Task Peer_that_never_reads()
    {
        var baseline = await Baseline();
        var peer = await RawPxpPeer.ConnectAsync(_node.Address, read: false);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new Connect("1", "test"));
        var connection = await _node.NextConnectionAsync(c => c.Peer?.Id != _node.Exchange.Peers[0].Id || _node.Exchange.Peers.Count > 1);
        await using var stream = connection.OpenStream();

        // Write until the socket buffers are full and the write timeout closes the session.
        var chunk = new byte[256 * 1024];
        var writing = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 4096; i++) await stream.WriteAsync(chunk);
            }
            catch (IOException)
            {
                // the session closed under the writer: expected
            }
        });

        var error = await _node.NextPeerErrorAsync();
        Assert.Contains("it is not reading", error.Message);
        await writing.WaitAsync(TestNode.Timeout);
        await peer.DisposeAsync(); // our own test socket; the node's end is what must be gone
        await AssertBackToBaseline(baseline);
    }

    [Fact]
    public async Task Relay_to_an_unknown_candidate_is_answered_without_closing()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new Relay("1", "deadbeef"));

        var reply = await peer.ReceiveAsync<Response>(r => r.Nonce == "1");
        Assert.Equal("Peer requested unknown candidate: id=deadbeef", Replies.ReadStatus(reply.Args).Error);
        Assert.False(peer.Closed.IsCompleted);
        await AssertHealthyPeerIntact();
    }

    private async Task AssertIsolated(Func<RawPxpPeer, Task> misbehave, string expectedError)
    {
        var baseline = await Baseline();
        var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        try
        {
            await misbehave(peer);
            var error = await _node.NextPeerErrorAsync();
            Assert.StartsWith(expectedError, error.Message);
            await peer.WaitClosedAsync();
        }
        finally
        {
            await peer.DisposeAsync();
        }
        await AssertBackToBaseline(baseline);
    }

    private async Task<(PxpExchange.Stats Stats, int Sockets)> Baseline() => (await _node.StatsAsync(), OpenSockets.Count());

    private async Task AssertBackToBaseline((PxpExchange.Stats Stats, int Sockets) baseline)
    {
        await _node.WaitForStatsAsync(s => s.Sessions == baseline.Stats.Sessions && s.Streams == baseline.Stats.Streams,
            $"{baseline.Stats.Sessions} sessions and {baseline.Stats.Streams} streams");
        await OpenSockets.WaitForCountAsync(baseline.Sockets, TestNode.Timeout);
        await AssertHealthyPeerIntact();
    }

    /// <summary>256 KiB each way over the healthy peer's connection, compared byte for byte.</summary>
    private async Task AssertHealthyPeerIntact()
    {
        var toNode = RandomNumberGenerator.GetBytes(256 * 1024);
        var toPeer = RandomNumberGenerator.GetBytes(256 * 1024);
        var sent = Task.WhenAll(_healthyAtPeer.WriteAsync(toNode).AsTask(), _healthyAtNode.WriteAsync(toPeer).AsTask());
        Assert.Equal(toNode, await _healthyAtNode.ReadExactlyAsync(toNode.Length));
        Assert.Equal(toPeer, await _healthyAtPeer.ReadExactlyAsync(toPeer.Length));
        await sent;
    }
}
