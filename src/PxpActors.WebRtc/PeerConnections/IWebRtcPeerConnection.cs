using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.WebRtc.PeerConnections;

/// <summary>
/// A data-channel-only WebRTC peer connection shaped like the browser's RTCPeerConnection and driven by
/// simple-peer@6 signals: the initiator calls <see cref="CreateOfferAsync"/>, the other side feeds every
/// signal it receives to <see cref="SignalAsync"/>; both forward every <see cref="LocalSignal"/> to the
/// peer in the order raised (the description first, then trickled candidates).
/// </summary>
public interface IWebRtcPeerConnection : IAsyncDisposable
{
    /// <summary>True for the side that makes the offer.</summary>
    bool Initiator { get; }

    /// <summary>Where the connection is in its life.</summary>
    PeerConnectionState State { get; }

    /// <summary>Completes when the connection is up (data channels can be used); faults with <see cref="PeerConnectionException"/>.</summary>
    Task Connected { get; }

    /// <summary>Completes once everything was released after a close or a failure.</summary>
    Task Closed { get; }

    /// <summary>Our offer or answer, then each trickled candidate: forward them to the peer in this order.</summary>
    event Action<Signal>? LocalSignal;

    /// <summary><see cref="State"/> changed.</summary>
    event Action<PeerConnectionState>? StateChanged;

    /// <summary>A channel is open: one we created, or one the peer opened (also returned by <see cref="AcceptDataChannelAsync"/>).</summary>
    event Action<IWebRtcDataChannel>? DataChannelOpened;

    /// <summary>A channel closed, from either side or with the connection.</summary>
    event Action<IWebRtcDataChannel>? DataChannelClosed;

    /// <summary>
    /// Starts what the connection needs before any description (sockets, candidates, threads), so that an offer or answer
    /// made later costs only itself. Optional: an implementation with nothing to prepare ahead does nothing.
    /// </summary>
    Task PrepareAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Makes our offer and sets it as the local description; it is also raised on <see cref="LocalSignal"/>.</summary>
    Task<SessionDescriptionSignal> CreateOfferAsync(CancellationToken cancellationToken = default);

    /// <summary>Answers the remote offer and sets the answer as the local description; it is also raised on <see cref="LocalSignal"/>.</summary>
    Task<SessionDescriptionSignal> CreateAnswerAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes the peer's offer or answer.</summary>
    Task SetRemoteDescriptionAsync(SessionDescriptionSignal description, CancellationToken cancellationToken = default);

    /// <summary>Takes one trickled candidate of the peer (an empty candidate line means end of candidates).</summary>
    Task AddRemoteCandidateAsync(IceCandidateInit candidate, CancellationToken cancellationToken = default);

    /// <summary>
    /// simple-peer's <c>peer.signal(data)</c>: an offer is set and answered (the answer raised on
    /// <see cref="LocalSignal"/>), an answer is set, a candidate is added.
    /// </summary>
    Task SignalAsync(Signal signal, CancellationToken cancellationToken = default);

    /// <summary>Opens a channel once connected (in-band, DCEP) or a negotiated one.</summary>
    Task<IWebRtcDataChannel> CreateDataChannelAsync(string label, DataChannelOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The next channel the peer opened; throws <see cref="PeerConnectionException"/> once the connection is closed.</summary>
    Task<IWebRtcDataChannel> AcceptDataChannelAsync(CancellationToken cancellationToken = default);

    /// <summary>Shuts the association down gracefully (bounded by the options' shutdown timeout), then releases everything.</summary>
    Task CloseAsync();
}
