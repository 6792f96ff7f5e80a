namespace PxpActors.WebRtc.PeerConnections;

/// <summary>The factory of our own stack (<see cref="PeerConnection"/>).</summary>
public sealed class PeerConnectionFactory : IWebRtcPeerConnectionFactory
{
    public static PeerConnectionFactory Instance { get; } = new();

    public IWebRtcPeerConnection Create(PeerConnectionOptions options) => new PeerConnection(options);
}
