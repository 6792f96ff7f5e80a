namespace PxpActors.WebRtc.PeerConnections;

/// <summary>A peer connection could not connect or was used out of order; the inner exception names the failing layer.</summary>
public sealed class PeerConnectionException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public PeerConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public PeerConnectionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
