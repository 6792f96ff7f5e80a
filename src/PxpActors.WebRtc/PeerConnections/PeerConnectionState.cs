namespace PxpActors.WebRtc.PeerConnections;

/// <summary>RTCPeerConnectionState as a data-channel-only connection lives it.</summary>
public enum PeerConnectionState
{
    /// <summary>Descriptions are still being exchanged.</summary>
    New,

    /// <summary>Both descriptions are set: ICE checks, then the DTLS handshake, then the SCTP association.</summary>
    Connecting,

    /// <summary>The SCTP association is up: data channels can be created and accepted.</summary>
    Connected,

    /// <summary>ICE lost the path (consent not refreshed yet); it may come back.</summary>
    Disconnected,

    /// <summary>A layer failed; see <see cref="IWebRtcPeerConnection.Connected"/> for the error. Everything is being released.</summary>
    Failed,

    /// <summary>Closed, locally or by the peer; every socket, timer and loop released.</summary>
    Closed,
}
