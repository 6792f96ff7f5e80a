namespace PxpActors.WebRtc.Sctp;

/// <summary>Association states (RFC 9260 section 4), with Idle for "not started, answering INITs statelessly".</summary>
public enum SctpAssociationState
{
    /// <summary>Nothing sent or received yet.</summary>
    Idle,
    /// <summary>INIT sent; waiting for INIT ACK.</summary>
    CookieWait,
    /// <summary>COOKIE ECHO sent; waiting for COOKIE ACK.</summary>
    CookieEchoed,
    /// <summary>Data flows both ways.</summary>
    Established,
    /// <summary>Closing: waiting for our queued data to be acknowledged.</summary>
    ShutdownPending,
    /// <summary>SHUTDOWN sent; waiting for SHUTDOWN ACK.</summary>
    ShutdownSent,
    /// <summary>The peer sent SHUTDOWN; finishing our queued data.</summary>
    ShutdownReceived,
    /// <summary>SHUTDOWN ACK sent; waiting for SHUTDOWN COMPLETE.</summary>
    ShutdownAckSent,
    /// <summary>Over: closed gracefully or aborted.</summary>
    Closed,
}
