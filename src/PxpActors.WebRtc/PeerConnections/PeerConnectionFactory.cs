namespace PxpActors.WebRtc.PeerConnections;

/// <summary>The factory of our own stack (<see cref="PeerConnection"/>).</summary>
public sealed class PeerConnectionFactory : IWebRtcPeerConnectionFactory
{
    /// <summary>The factory (it holds no state).</summary>
    public static PeerConnectionFactory Instance { get; } = new();

    /// <summary>A new <see cref="PeerConnection"/> of our own stack.</summary>
    public IWebRtcPeerConnection Create(PeerConnectionOptions options) => new PeerConnection(options);

    /// <summary>True: a connection started ahead has its sockets bound and its DTLS thread and crypto ready.</summary>
    public bool PreparesAhead => true;
}
