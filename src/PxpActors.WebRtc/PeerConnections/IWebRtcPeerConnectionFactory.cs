namespace PxpActors.WebRtc.PeerConnections;

/// <summary>
/// Makes peer connections: the seam where another WebRTC implementation can be plugged in (the way the
/// JavaScript reference takes a <c>wrtc</c> option), or a simulated one for tests.
/// </summary>
public interface IWebRtcPeerConnectionFactory
{
    /// <summary>A new peer connection configured by <paramref name="options"/>.</summary>
    IWebRtcPeerConnection Create(PeerConnectionOptions options);

    /// <summary>
    /// Whether its connections gain from being started ahead (<see cref="IWebRtcPeerConnection.PrepareAsync"/> binds sockets,
    /// starts threads): a node that answers offers then keeps one started for the next. False by default (nothing to prepare).
    /// </summary>
    bool PreparesAhead => false;
}
