using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Conformance;

/// <summary>Each side of a session counts its request nonces on its own: the same nonce can be outstanding both ways.</summary>
public sealed class NonceSpec
{
    [Fact]
    public async Task Node_must_keep_its_request_and_the_peers_request_with_the_same_nonce_apart()
    {
        await using var node = await TestNode.StartAsync();
        await using var hub = await RawPxpPeer.ConnectAsync(node.Address);
        await hub.StartSessionAsync("test");
        var peer = await node.NextPeerAddedAsync();

        // Our getpeers goes out; before answering it, the peer sends its own request with the same nonce.
        var candidates = node.Exchange.GetPeersAsync(peer);
        var getPeers = await hub.ReceiveAsync<GetPeers>();
        await hub.SendRpcAsync(new Incoming(getPeers.Nonce, "0badcafe"));
        var accepted = await hub.ReceiveAsync<Response>(r => r.Nonce == getPeers.Nonce);
        Assert.True(Replies.ReadStatus(accepted.Args).IsSuccess);

        // The peer's reply to our getpeers is still ours to take, and the session carries on.
        await hub.SendRpcAsync(new Response(getPeers.Nonce, Replies.Candidates([new Candidate("00c0ffee", "test", ConnectInfo.Accepting)])));
        Assert.Equal("00c0ffee", Assert.Single(await candidates).Id);
        Assert.Empty(node.ErrorLog);
    }
}
