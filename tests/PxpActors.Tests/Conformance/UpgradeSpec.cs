using System.Text.Json;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Actors;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Conformance;

/// <summary>The reference's upgrade rules (pxp test/peer.js "upgrade"), against our node.</summary>
public sealed class UpgradeSpec
{
    private static readonly JsonElement Offer = JsonSerializer.Deserialize<JsonElement>("""{"type":"offer","sdp":"v=0\r\n"}""");

    [Fact]
    public async Task Node_must_close_a_session_that_sends_upgrade_without_being_relayed()
    {
        await using var node = await TestNode.StartAsync();
        await using var peer = await RawPxpPeer.ConnectAsync(node.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new Upgrade("1", Upgrade.WebRtcTransport, Offer));

        Assert.Equal("Peer sent upgrade on a session that is not relayed", (await node.NextPeerErrorAsync()).Message);
        await peer.WaitClosedAsync();
    }

    [Fact]
    public async Task Node_must_close_a_relayed_session_that_asks_for_an_unknown_transport_and_never_reply()
    {
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync();
        await a.Exchange.ConnectAsync(hub.Address);
        await b.Exchange.ConnectAsync(hub.Address);
        var viaHub = a.Exchange.Peers[0];
        var relay = await a.Exchange.RelayAsync(viaHub, Assert.Single(await a.Exchange.GetPeersAsync(viaHub)));

        // Speak PXP by hand over the relayed bytes: hello, then an upgrade for a transport nobody has.
        var (ours, theirs) = Transports.InMemoryDuplexStream.CreatePair();
        Flow.FromGraph(new Transports.StreamTransportStage(ours)).Join(relay.Flow).Run(a.Exchange.Materializer);
        await using var peer = RawPxpPeer.Over(theirs);
        await peer.StartSessionAsync("test");
        await b.NextPeerAddedAsync(p => p.Relayed);
        await peer.SendRpcAsync(new Upgrade("1", "carrier-pigeon", Offer));

        Assert.Equal("Peer requested upgrade via unknown transport: \"carrier-pigeon\"", (await b.NextPeerErrorAsync()).Message);
        await peer.WaitClosedAsync();
        Assert.DoesNotContain(await DrainMessages(peer), m => m is Response);
    }

    private static async Task<List<PxpMessage>> DrainMessages(RawPxpPeer peer)
    {
        var seen = new List<PxpMessage>();
        try
        {
            while (true) seen.Add(await peer.ReceiveAsync<PxpMessage>(timeout: TimeSpan.FromSeconds(1)));
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            return seen;
        }
    }

    [Fact]
    public async Task GetNewPeer_without_peers_must_fail()
    {
        await using var a = await TestNode.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => a.Exchange.GetNewPeerAsync());
        Assert.Equal("Not connected to any peers", error.Message);
    }
}
