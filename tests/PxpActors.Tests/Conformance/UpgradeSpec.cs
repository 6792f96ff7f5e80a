using System.Text.Json;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Actors;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;
using PxpActors.WebRtc;
using PxpActors.WebRtc.PeerConnections;

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
        await using var triangle = await RelayTriangle.StartAsync();
        await using var peer = await triangle.RawAskerAsync();
        await peer.SendRpcAsync(new Upgrade("1", "carrier-pigeon", Offer));

        Assert.Equal("Peer requested upgrade via unknown transport: \"carrier-pigeon\"", (await triangle.B.NextPeerErrorAsync()).Message);
        await peer.WaitClosedAsync();
        Assert.DoesNotContain(await DrainMessages(peer), m => m is Response);
    }

    [Fact]
    public async Task Node_must_close_a_relayed_session_whose_upgrade_signal_does_not_parse_and_never_reply()
    {
        await using var triangle = await RelayTriangle.StartAsync();
        await using var asker = await triangle.RawAskerAsync();
        await asker.SendRpcAsync(new Upgrade("1", Upgrade.WebRtcTransport,
            JsonSerializer.Deserialize<JsonElement>("""{"type":"offer","sdp":7}""")));

        Assert.StartsWith("Peer sent an upgrade signal that does not parse", (await triangle.B.NextPeerErrorAsync()).Message);
        await asker.WaitClosedAsync();
        Assert.DoesNotContain(await DrainMessages(asker), m => m is Response);
        await triangle.B.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.Upgrades == 0, "B: the hub only");
    }

    [Fact]
    public async Task Node_must_answer_a_relayed_offer_with_upgrade_messages_and_never_a_reply()
    {
        await using var triangle = await RelayTriangle.StartAsync();
        var asker = await triangle.RawAskerAsync();
        await using var initiator = new PeerConnection(new PeerConnectionOptions { Initiator = true });
        var offer = await initiator.CreateOfferAsync();
        await asker.SendRpcAsync(new Upgrade("1", Upgrade.WebRtcTransport, JsonSerializer.Deserialize<JsonElement>(offer.ToJson())));

        // The answer comes as an upgrade of its own, as simple-peer's signals do, then the candidates: never a reply.
        var received = new List<PxpMessage>();
        do received.Add(await asker.ReceiveAsync<PxpMessage>());
        while (received[^1] is not Upgrade);
        var answer = (Upgrade)received[^1];
        Assert.Equal(Upgrade.WebRtcTransport, answer.Transport);
        Assert.Equal("answer", answer.Signal.GetProperty("type").GetString());
        received.AddRange(await DrainMessages(asker));
        Assert.DoesNotContain(received, m => m is Response);
        await asker.DisposeAsync(); // the asker goes away mid-upgrade
        await triangle.B.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.Upgrades == 0, "B: the upgrade released");
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
