using PxpActors.WebRtc.Signaling;

namespace PxpActors.WebRtc.PeerConnections;

/// <summary>simple-peer's <c>peer.signal(data)</c> over the browser-shaped calls: one meaning for every implementation.</summary>
public static class SignalDispatch
{
    /// <summary>
    /// An offer is set and answered (the answer raised on <see cref="IWebRtcPeerConnection.LocalSignal"/>), an answer
    /// is set, a candidate is added; any other signal is an <see cref="ArgumentException"/>.
    /// </summary>
    public static async Task ApplyAsync(IWebRtcPeerConnection connection, Signal signal, CancellationToken cancellationToken = default)
    {
        switch (signal)
        {
            case SessionDescriptionSignal { Type: SessionDescriptionType.Offer } offer:
                await connection.SetRemoteDescriptionAsync(offer, cancellationToken).ConfigureAwait(false);
                await connection.CreateAnswerAsync(cancellationToken).ConfigureAwait(false);
                break;
            case SessionDescriptionSignal answer:
                await connection.SetRemoteDescriptionAsync(answer, cancellationToken).ConfigureAwait(false);
                break;
            case CandidateSignal candidate:
                await connection.AddRemoteCandidateAsync(candidate.Candidate, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"Unknown signal {signal?.GetType().Name ?? "null"}.", nameof(signal));
        }
    }
}
