using PxpActors.Actors;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Conformance;

/// <summary>The reference's getpeers cases (pxp test/peer.js "getpeers"), against our node in both roles.</summary>
public sealed class GetPeersSpec : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("test");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Node_with_no_other_peers_must_answer_an_empty_list()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new GetPeers("1", "test"));

        var reply = await peer.ReceiveAsync<Response>(r => r.Nonce == "1");
        Assert.Equal("[null,[]]", reply.Args.GetRawText());
    }

    [Fact]
    public async Task Node_must_offer_accepting_peers_only_with_fresh_8_hex_ids()
    {
        await using var accepting = await RawPxpPeer.ConnectAsync(_node.Address);
        await accepting.StartSessionAsync("test");
        await using var closed = await RawPxpPeer.ConnectAsync(_node.Address);
        await closed.StartSessionAsync("test", acceptsIncoming: false);
        await using var asker = await RawPxpPeer.ConnectAsync(_node.Address);
        await asker.StartSessionAsync("test");
        await _node.NextPeerAddedAsync();
        await _node.NextPeerAddedAsync();
        await _node.NextPeerAddedAsync();

        await asker.SendRpcAsync(new GetPeers("1", "test"));
        var first = Replies.ReadCandidates((await asker.ReceiveAsync<Response>(r => r.Nonce == "1")).Args);
        await asker.SendRpcAsync(new GetPeers("2", "test"));
        var second = Replies.ReadCandidates((await asker.ReceiveAsync<Response>(r => r.Nonce == "2")).Args);

        Assert.True(first.IsSuccess);
        // Of the two other peers only the accepting one is offered: a JS asker crashes on a null connectInfo.
        var candidate = Assert.Single(first.Value!);
        Assert.Matches("^[0-9a-f]{8}$", candidate.Id);
        Assert.Equal("test", candidate.Network);
        Assert.True(candidate.ConnectInfo!.Pxp);
        Assert.Empty(first.Value!.Select(c => c.Id).Intersect(second.Value!.Select(c => c.Id)));
    }

    [Fact]
    public async Task Node_must_answer_getpeers_for_an_unknown_network_with_an_error_and_close()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new GetPeers("1", "other"));

        var reply = await peer.ReceiveAsync<Response>(r => r.Nonce == "1");
        Assert.Equal("""["Peer requested an unknown network:\"other\""]""", reply.Args.GetRawText());
        await peer.WaitClosedAsync();
    }

    [Theory]
    [InlineData("123", "Peer sent invalid response to \"getpeers\"")]
    [InlineData("[null,123]", "Peer sent invalid response to \"getpeers\"")]
    [InlineData("[null,[1,2,3]]", "Peer sent invalid candidate peer")]
    [InlineData("[null,[{\"network\":\"test\"}]]", "Peer sent invalid candidate peer")]
    [InlineData("[\"no peers for you\"]", "no peers for you")]
    public async Task GetPeersAsync_must_fail_clearly_on_an_invalid_or_error_reply(string args, string expected)
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("test");
        var info = await _node.NextPeerAddedAsync();

        var asking = _node.Exchange.GetPeersAsync(info);
        var request = await peer.ReceiveAsync<GetPeers>();
        Assert.Equal("test", request.Network);
        await peer.SendLineAsync($"[\"res\",\"{request.Nonce}\",{args}]");

        var error = await Assert.ThrowsAsync<PxpRequestException>(() => asking);
        Assert.Equal($"{expected} (peer {info.Id} over tcp)", error.Message); // the reference's text, and which peer
        Assert.Equal(expected, error.InnerException!.Message);
        Assert.Single(_node.Exchange.Peers); // a bad reply fails the request, not the session
    }

    [Fact]
    public async Task GetPeersAsync_must_time_out_when_the_peer_never_replies()
    {
        await using var node = await TestNode.StartAsync("test", new PeerExchangeOptions { RequestTimeout = TimeSpan.FromMilliseconds(200) });
        await using var peer = await RawPxpPeer.ConnectAsync(node.Address);
        await peer.StartSessionAsync("test");
        var info = await node.NextPeerAddedAsync();

        var error = await Assert.ThrowsAsync<PxpRequestException>(() => node.Exchange.GetPeersAsync(info));
        Assert.Equal($"No reply to \"getpeers\" within 0.2 s (peer {info.Id} over tcp)", error.Message);
    }

    [Fact]
    public async Task Node_must_relay_the_error_of_a_failing_candidate_source()
    {
        await using var node = await TestNode.StartAsync("test", new PeerExchangeOptions
        {
            CandidateSource = _ => throw new InvalidOperationException("error"),
        });
        await using var peer = await RawPxpPeer.ConnectAsync(node.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new GetPeers("1", "test"));

        var reply = await peer.ReceiveAsync<Response>(r => r.Nonce == "1");
        Assert.Equal("Candidate source failed: error", Replies.ReadCandidates(reply.Args).Error);
    }

    [Fact]
    public async Task Two_nodes_must_exchange_candidates_with_the_reference_connectInfo()
    {
        await using var hub = await TestNode.StartAsync("test");
        await using var other = await TestNode.StartAsync("test");
        await _node.Exchange.ConnectAsync(hub.Address);
        await other.Exchange.ConnectAsync(hub.Address);

        var candidates = await _node.Exchange.GetPeersAsync(_node.Exchange.Peers[0]);
        var candidate = Assert.Single(candidates);
        // The reference's connectInfo, and our node id after it (JavaScript peers pass it on and ignore it).
        Assert.Equal($$"""{"pxp":true,"relay":true,"webrtc":true,"nodeId":"{{other.Exchange.NodeId}}"}""", candidate.ConnectInfo!.Json.GetRawText());
    }
}
