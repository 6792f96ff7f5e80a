using PxpActors.Actors.Internal;
using PxpActors.Tests.Support;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Tests.Upgrades;

/// <summary>A peer connection started ahead of its upgrade (getNewPeer's offer, a responder's standby): one owner, no signal lost.</summary>
public sealed class PreparedPeerConnectionSpec
{
    private static readonly TimeSpan Released = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_offer_made_ahead_must_reach_its_claimer_first_and_only_the_claimer()
    {
        var webRtc = new ObservedWebRtcFactory();
        var prepared = PreparedPeerConnection.Start(webRtc, new PeerConnectionOptions { Initiator = true, IncludeLoopback = true });
        await prepared.Ready.WaitAsync(Released);

        var claimed = new List<Signal>();
        Assert.True(prepared.TryClaim(claimed.Add));
        Assert.False(prepared.TryClaim(_ => { })); // one owner
        await prepared.ReleaseUnlessClaimedAsync(); // the claimer owns it: not closed by the one that made it

        Assert.Equal(SessionDescriptionType.Offer, Assert.IsType<SessionDescriptionSignal>(claimed[0]).Type);
        Assert.Equal(1, webRtc.Open);
        await prepared.CloseAsync();
        await webRtc.AllClosedAsync(Released);
    }

    [Fact]
    public async Task A_connection_nobody_claimed_must_be_released_by_its_maker_and_then_refuse_a_claim()
    {
        var webRtc = new ObservedWebRtcFactory();
        var prepared = PreparedPeerConnection.Start(webRtc, new PeerConnectionOptions { Initiator = false, IncludeLoopback = true });

        await prepared.ReleaseUnlessClaimedAsync(); // even while it is still starting

        await webRtc.AllClosedAsync(Released);
        Assert.False(prepared.TryClaim(_ => { }));
        Assert.Equal(PeerConnectionState.Closed, Assert.Single(webRtc.Made).State);
    }
}
