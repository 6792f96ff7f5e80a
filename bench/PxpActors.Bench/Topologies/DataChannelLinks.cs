using System.Net;
using PxpActors.TestSupport.Wrtc;
using PxpActors.WebRtc;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Bench.Topologies;

/// <summary>
/// Open data channels on loopback between our PeerConnection and another one (ours or libwebrtc's
/// WrtcPeer): signalling pumped in order, our side offering, one channel opened by us.
/// </summary>
public static class DataChannelLinks
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static PeerConnectionOptions Options(bool initiator) => new()
    {
        Initiator = initiator, IncludeLoopback = true, LocalAddresses = [IPAddress.Loopback],
    };

    /// <summary>Two of ours; the caller disposes both connections (the pumps end with them).</summary>
    public static async Task<(PeerConnection Offerer, PeerConnection Answerer, IWebRtcDataChannel Sending, IWebRtcDataChannel Receiving)> OursToOursAsync()
    {
        var offerer = new PeerConnection(Options(initiator: true));
        var answerer = new PeerConnection(Options(initiator: false));
        await using var toAnswerer = new SignalPump(offerer, s => answerer.SignalAsync(s));
        await using var toOfferer = new SignalPump(answerer, s => offerer.SignalAsync(s));
        await offerer.CreateOfferAsync().ConfigureAwait(false);
        await Task.WhenAll(offerer.Connected, answerer.Connected).WaitAsync(Patience).ConfigureAwait(false);
        var sending = await offerer.CreateDataChannelAsync("bench").WaitAsync(Patience).ConfigureAwait(false);
        var receiving = await answerer.AcceptDataChannelAsync().WaitAsync(Patience).ConfigureAwait(false);
        return (offerer, answerer, sending, receiving);
    }

    /// <summary>Ours offering to libwebrtc (started as answerer); returns our open channel labelled "bench".</summary>
    public static async Task<IWebRtcDataChannel> OursToLibwebrtcAsync(PeerConnection ours, WrtcPeer libwebrtc)
    {
        var candidates = Task.CompletedTask;
        await using (var toLibwebrtc = new SignalPump(ours, async signal =>
                     {
                         switch (signal)
                         {
                             case SessionDescriptionSignal offer:
                                 await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Offer, offer.Sdp).ConfigureAwait(false);
                                 var answer = await libwebrtc.CreateAnswerAsync().ConfigureAwait(false);
                                 await ours.SignalAsync(new SessionDescriptionSignal(SessionDescriptionType.Answer, answer)).ConfigureAwait(false);
                                 candidates = CandidatesToOursAsync(ours, libwebrtc);
                                 break;
                             case CandidateSignal candidate:
                                 await libwebrtc.AddIceCandidateAsync(candidate.Candidate).ConfigureAwait(false);
                                 break;
                         }
                     }))
        {
            await ours.CreateOfferAsync().ConfigureAwait(false);
            await ours.Connected.WaitAsync(Patience).ConfigureAwait(false);
            if (await libwebrtc.WaitForConnectionStateAsync(Patience, "connected", "failed").ConfigureAwait(false) != "connected")
                throw new InvalidOperationException($"libwebrtc's connection failed:\n{libwebrtc.StderrTail}");
        }
        await candidates.WaitAsync(Patience).ConfigureAwait(false);
        var channel = await ours.CreateDataChannelAsync("bench").WaitAsync(Patience).ConfigureAwait(false);
        await libwebrtc.WaitForDataChannelStateAsync("bench", "open", Patience).ConfigureAwait(false);
        return channel;
    }

    private static async Task CandidatesToOursAsync(PeerConnection ours, WrtcPeer libwebrtc)
    {
        var received = 0;
        while (await libwebrtc.NextCandidateAsync(received, Patience).ConfigureAwait(false) is { } candidate)
        {
            received++;
            if (ours.State is PeerConnectionState.Closed or PeerConnectionState.Failed) return;
            await ours.SignalAsync(new CandidateSignal(candidate)).ConfigureAwait(false);
        }
    }
}
