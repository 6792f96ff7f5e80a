using System.Text;
using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Upgrades;

/// <summary>getNewPeer end to end between nodes of ours: hub H, asker A, candidate B, over TCP and real WebRTC (UDP, DTLS, SCTP).</summary>
public sealed class GetNewPeerSpec
{
    [Fact]
    public async Task GetNewPeer_must_connect_the_asker_to_the_candidate_over_webrtc_and_keep_both_at_the_hub()
    {
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync();
        await a.Exchange.AddPeerAsync(hub.Address);
        await b.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");

        var aSide = await a.Exchange.GetNewPeerAsync();
        var bSide = await b.NextConnectionAsync(c => c.Transport == "webrtc");

        Assert.Equal("webrtc", aSide.Transport);
        Assert.False(aSide.Incoming);
        Assert.True(bSide.Incoming);
        Assert.Equal(b.Exchange.NodeId, aSide.Peer!.NodeId);
        Assert.Equal(a.Exchange.NodeId, bSide.Peer!.NodeId);
        await using var aStream = aSide.OpenStream();
        await using var bStream = bSide.OpenStream();
        await aStream.WriteAsync(Encoding.UTF8.GetBytes("from a"));
        await bStream.WriteAsync(Encoding.UTF8.GetBytes("from b"));
        Assert.Equal("from a", await ReadTextAsync(bStream, 6));
        Assert.Equal("from b", await ReadTextAsync(aStream, 6));

        // The relayed sessions close once the WebRTC sessions are ready; the hub keeps both ends.
        await a.WaitForStatsAsync(s => s.Sessions == 2 && s.ReadyPeers == 2, "A: the hub and B over WebRTC");
        await b.WaitForStatsAsync(s => s.Sessions == 2 && s.ReadyPeers == 2, "B: the hub and A over WebRTC");
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2 && s.Resources.Relays == 0, "the hub: A and B, no relay left");
    }

    [Fact]
    public async Task A_webrtc_session_must_release_its_peer_connection_when_it_ends_and_getNewPeer_must_reach_the_node_again()
    {
        var askerWebRtc = new ObservedWebRtcFactory();
        var candidateWebRtc = new ObservedWebRtcFactory();
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync(options: new PeerExchangeOptions { WebRtc = askerWebRtc });
        await using var b = await TestNode.StartAsync(options: new PeerExchangeOptions { WebRtc = candidateWebRtc });
        await a.Exchange.AddPeerAsync(hub.Address);
        await b.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");

        for (var round = 1; round <= 2; round++)
        {
            var connection = await a.Exchange.GetNewPeerAsync();
            await a.Exchange.DisconnectAsync(connection.Peer!);

            await a.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.Upgrades == 0, "A: the hub only");
            // B answered an offer: it keeps one connection started for the next (round 2 answers with round 1's standby).
            await b.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.Upgrades == 0 && s.Resources.StandbyConnections == 1,
                "B: the hub only, and a standby");
            Assert.Equal(round, askerWebRtc.Made.Count);
            Assert.Equal(round + 1, candidateWebRtc.Made.Count);
            await askerWebRtc.AllClosedAsync(TestNode.Timeout);
            await candidateWebRtc.AllClosedButStandbyAsync(TestNode.Timeout);
            Assert.Equal(1, candidateWebRtc.Open);
        }
    }

    [Fact]
    public async Task A_candidates_standby_connection_must_be_released_when_its_exchange_closes()
    {
        var candidateWebRtc = new ObservedWebRtcFactory();
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync();
        var b = await TestNode.StartAsync(options: new PeerExchangeOptions { WebRtc = candidateWebRtc });
        await using (b)
        {
            await a.Exchange.AddPeerAsync(hub.Address);
            await b.Exchange.AddPeerAsync(hub.Address);
            await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");
            Assert.Equal(0, (await b.StatsAsync()).Resources.StandbyConnections); // none until B answers an offer

            await a.Exchange.GetNewPeerAsync();
            await b.WaitForStatsAsync(s => s.Sessions == 2 && s.Resources.StandbyConnections == 1, "B: A over WebRTC, and a standby");
            Assert.Equal(2, candidateWebRtc.Open); // the connection to A and the standby
        }

        await candidateWebRtc.AllClosedAsync(TestNode.Timeout);
    }

    private static async Task<string> ReadTextAsync(Stream stream, int length)
    {
        var buffer = new byte[length];
        using var timeout = new CancellationTokenSource(TestNode.Timeout);
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer);
    }
}
