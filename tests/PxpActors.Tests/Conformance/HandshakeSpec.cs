using PxpActors.Protocol;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Conformance;

/// <summary>The reference's handshake cases (pxp test/peer.js "handshake"), against our node.</summary>
public sealed class HandshakeSpec : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("foo");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Node_must_reject_invalid_magic_bytes()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.SendAsync("some data"u8.ToArray());

        var error = await _node.NextPeerErrorAsync();
        Assert.Equal("Invalid magic value, peer not using PXP", error.Message);
        await peer.WaitClosedAsync();
        await _node.WaitForSessionsAsync(0);
    }

    [Fact]
    public async Task Node_must_reject_a_different_protocol_version()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("foo", version: 0);

        var error = await _node.NextPeerErrorAsync();
        Assert.Equal("Peer has an invalid protocol version.theirs=0, ours=1", error.Message);
        await peer.WaitClosedAsync();
    }

    [Fact]
    public async Task Node_must_reject_an_invalid_networks_list()
    {
        await using var bad = await RawPxpPeer.ConnectAsync(_node.Address);
        await bad.SendAsync(PxpMagic.Bytes.ToArray());
        await bad.SendFrameAsync(0, Protocol.Framing.FrameType.Open, "pxp"u8.ToArray());
        await bad.SendLineAsync("""["hello","0",[1,null,true]]""");
        var error = await _node.NextPeerErrorAsync();
        Assert.Equal("Peer sent invalid hello: networks is not an array", error.Message);
        await bad.WaitClosedAsync();
    }

    [Fact]
    public async Task Node_must_reject_a_peer_with_no_networks_in_common()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("bar");

        var error = await _node.NextPeerErrorAsync();
        Assert.Equal("Peer does not have any networks in common.", error.Message);
        await peer.WaitClosedAsync();
    }

    [Fact]
    public async Task Node_must_complete_a_normal_handshake_and_send_its_hello()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.StartSessionAsync("foo", ConnectInfo.Parse("""{"pxp":true,"relay":true,"webrtc":true,"extra":42}"""));

        var hello = await peer.ReceiveAsync<Hello>();
        Assert.Equal("0", hello.Nonce);
        Assert.Equal(1, hello.Version);
        Assert.Equal(["foo"], hello.Networks);
        Assert.True(hello.ConnectInfo!.Pxp);
        var added = await _node.NextPeerAddedAsync();
        Assert.True(added.Incoming);
        Assert.True(added.AcceptsIncoming);
        Assert.Equal(42, added.ConnectInfo!.Json.GetProperty("extra").GetInt32());
    }

    [Fact]
    public async Task Node_that_does_not_accept_incoming_must_send_null_connectInfo()
    {
        await using var closed = await TestNode.StartAsync("foo", new PeerExchangeOptions { AllowIncoming = false });
        await using var peer = await RawPxpPeer.ConnectAsync(closed.Address);
        await peer.StartSessionAsync("foo");

        var hello = await peer.ReceiveAsync<Hello>();
        Assert.Null(hello.ConnectInfo);
    }

    [Fact]
    public async Task Node_must_close_a_session_that_never_says_hello()
    {
        await using var slow = await TestNode.StartAsync("foo", new PeerExchangeOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        await using var peer = await RawPxpPeer.ConnectAsync(slow.Address);
        await peer.SendAsync(PxpMagic.Bytes.ToArray());

        var error = await slow.NextPeerErrorAsync();
        Assert.Equal("No hello from the peer within 0.3 s", error.Message);
        await peer.WaitClosedAsync();
        await slow.WaitForSessionsAsync(0);
    }

    [Fact]
    public async Task Node_must_refuse_a_request_sent_before_hello()
    {
        await using var peer = await RawPxpPeer.ConnectAsync(_node.Address);
        await peer.SendAsync(PxpMagic.Bytes.ToArray());
        await peer.SendFrameAsync(0, Protocol.Framing.FrameType.Open, "pxp"u8.ToArray());
        await peer.SendRpcAsync(new GetPeers("0", "foo"));

        var error = await _node.NextPeerErrorAsync();
        Assert.Equal("Peer sent \"getpeers\" before hello", error.Message);
        await peer.WaitClosedAsync();
    }
}
