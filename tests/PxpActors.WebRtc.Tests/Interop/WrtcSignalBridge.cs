using System.Threading.Channels;
using PxpActors.TestSupport.Wrtc;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// Signalling between our peer connection and libwebrtc's: our signals (JSON round-tripped, in order) go
/// to libwebrtc; an offer of ours is answered by libwebrtc at once; libwebrtc's trickled candidates come
/// back to us once it has both descriptions (it only gathers after setLocalDescription).
/// </summary>
internal sealed class WrtcSignalBridge : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly IWebRtcPeerConnection _ours;
    private readonly WrtcPeer _libwebrtc;
    private readonly Channel<string> _toLibwebrtc = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private Task _candidates = Task.CompletedTask;

    public WrtcSignalBridge(IWebRtcPeerConnection ours, WrtcPeer libwebrtc)
    {
        _ours = ours;
        _libwebrtc = libwebrtc;
        ours.LocalSignal += OnSignal;
        _pump = PumpAsync();
    }

    /// <summary>libwebrtc made the offer: give it to us; our answer travels back through the pump.</summary>
    public async Task OfferFromLibwebrtcAsync()
    {
        var offer = await _libwebrtc.CreateOfferAsync();
        await _ours.SignalAsync(Signal.Parse(new SessionDescriptionSignal(SessionDescriptionType.Offer, offer).ToJson()));
    }

    /// <summary>Faults when a signal was refused by either side.</summary>
    public Task Pump => _pump;

    public async ValueTask DisposeAsync()
    {
        _ours.LocalSignal -= OnSignal;
        _toLibwebrtc.Writer.TryComplete();
        try
        {
            await _pump;
            await _candidates;
        }
        catch (Exception e) when (e is WrtcException or PeerConnectionException)
        {
            // A side closed while signals were in flight; the test's own assertions report what matters.
        }
    }

    private void OnSignal(Signal signal) => _toLibwebrtc.Writer.TryWrite(signal.ToJson());

    private async Task PumpAsync()
    {
        await foreach (var json in _toLibwebrtc.Reader.ReadAllAsync())
        {
            switch (Signal.Parse(json))
            {
                case SessionDescriptionSignal { Type: SessionDescriptionType.Offer } offer:
                    await _libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Offer, offer.Sdp);
                    var libwebrtcAnswer = await _libwebrtc.CreateAnswerAsync();
                    await _ours.SignalAsync(new SessionDescriptionSignal(SessionDescriptionType.Answer, libwebrtcAnswer));
                    _candidates = CandidatesToUsAsync();
                    break;
                case SessionDescriptionSignal answer:
                    await _libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Answer, answer.Sdp);
                    _candidates = CandidatesToUsAsync();
                    break;
                case CandidateSignal candidate:
                    await _libwebrtc.AddIceCandidateAsync(candidate.Candidate);
                    break;
            }
        }
    }

    private async Task CandidatesToUsAsync()
    {
        var received = 0;
        while (await _libwebrtc.NextCandidateAsync(received, Patience) is { } candidate)
        {
            received++;
            if (_ours.State is PeerConnectionState.Closed or PeerConnectionState.Failed) return;
            await _ours.SignalAsync(Signal.Parse(new CandidateSignal(candidate).ToJson()));
        }
    }
}
