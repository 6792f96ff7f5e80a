namespace PxpActors.WebRtc.PeerConnections;

/// <summary>A peer connection could not connect or was used out of order; the inner exception names the failing layer.</summary>
public sealed class PeerConnectionException : Exception
{
    public PeerConnectionException(string message)
        : base(message)
    {
    }

    public PeerConnectionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
