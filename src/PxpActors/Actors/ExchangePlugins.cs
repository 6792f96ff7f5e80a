using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Actors;

/// <summary>What an exchange can be given in code rather than config: each null keeps the default.</summary>
public sealed record ExchangePlugins
{
    /// <summary>Makes the WebRTC peer connections upgrades run on; by default our own stack (<see cref="PeerConnectionFactory"/>).</summary>
    public IWebRtcPeerConnectionFactory? WebRtc { get; init; }

    /// <summary>The base of every upgrade's peer connection options (ICE servers and loopback come from <c>pxp.webrtc</c>).</summary>
    public PeerConnectionOptions? WebRtcOptions { get; init; }

    /// <summary>Picks getNewPeer's candidate among the usable ones; by default <see cref="CandidateSelectors.Uniform"/>.</summary>
    public CandidateSelector? CandidateSelector { get; init; }

    /// <summary>This node's id, announced to peers; by default 64 random bits, new for each exchange.</summary>
    public string? NodeId { get; init; }

    /// <summary>
    /// The clock the node reads (candidate expiry, getNewPeer's deadline and pauses, request rate limits); by default
    /// <see cref="System.TimeProvider.System"/>. Its timers (request and handshake timeouts, backoff, throttles) run on the
    /// ActorSystem's scheduler: a simulation gives both, coupled, to run virtual time.
    /// </summary>
    public TimeProvider? TimeProvider { get; init; }
}
