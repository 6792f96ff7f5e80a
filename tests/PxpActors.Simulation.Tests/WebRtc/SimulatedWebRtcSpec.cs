using System.Text;
using PxpActors.Simulation.WebRtc;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Simulation.Tests.WebRtc;

/// <summary>getNewPeer over the simulated WebRTC: an upgrade that carries data, and one told to fail, leaving nothing open.</summary>
public sealed class SimulatedWebRtcSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetNewPeer_must_upgrade_to_a_simulated_data_channel_that_carries_the_application_bytes()
    {
        await using var sim = new Simulation();
        var pair = await UpgradedPair.StartAsync(sim, Timeout);

        Assert.Equal("webrtc", pair.AtA.Transport);
        Assert.Equal(pair.B.NodeId, pair.AtA.Peer!.NodeId);
        await using var toB = pair.AtA.OpenStream();
        await using var fromA = pair.AtB.OpenStream();
        await toB.WriteAsync("over the simulated channel"u8.ToArray());
        var buffer = new byte[26];
        await fromA.ReadExactlyAsync(buffer).AsTask().WaitAsync(Timeout);
        Assert.Equal("over the simulated channel", Encoding.UTF8.GetString(buffer));
        Assert.Equal(1, sim.WebRtc.OpenChannels);
        Assert.Contains(("a", "b"), sim.WebRtc.Channels);
    }

    [Fact]
    public async Task A_simulated_WebRTC_told_to_fail_must_fail_getNewPeer_and_release_every_connection()
    {
        await using var sim = new Simulation(new SimulationOptions
        {
            WebRtc = new SimulatedWebRtcBehavior(TimeSpan.FromMilliseconds(20), FailureRate: 1),
        });
        var (hub, a, b) = (sim.AddNode("hub"), sim.AddNode("a"), sim.AddNode("b"));
        await sim.ConnectAsync(a, hub);
        await sim.ConnectAsync(b, hub);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => a.Exchange.GetNewPeerAsync());
        Assert.Contains("failure rate", error.Message);
        var deadline = DateTime.UtcNow + Timeout;
        while (sim.WebRtc.OpenConnections > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{sim.WebRtc.OpenConnections} simulated peer connections left open");
            await Task.Delay(20);
        }
        Assert.Equal(0, sim.WebRtc.OpenChannels);

        // Told to succeed again, the same nodes connect.
        sim.WebRtc.Behavior = SimulatedWebRtcBehavior.Immediate;
        Assert.Equal("webrtc", (await a.Exchange.GetNewPeerAsync()).Transport);
    }

    [Fact]
    public async Task A_simulated_connection_must_not_connect_on_an_answer_to_another_offer()
    {
        var network = new SimulatedWebRtc();
        await using var initiator = network.FactoryFor("x").Create(new PeerConnectionOptions { Initiator = true });
        await using var stranger = network.FactoryFor("y").Create(new PeerConnectionOptions { Initiator = true });
        await using var responder = network.FactoryFor("z").Create(new PeerConnectionOptions());
        var offer = await stranger.CreateOfferAsync();
        await responder.SignalAsync(offer);
        await initiator.CreateOfferAsync();

        var answer = new PxpActors.WebRtc.Signaling.SessionDescriptionSignal(PxpActors.WebRtc.Signaling.SessionDescriptionType.Answer, offer.Sdp);
        await Assert.ThrowsAsync<PeerConnectionException>(() => initiator.SignalAsync(answer));
    }
}
