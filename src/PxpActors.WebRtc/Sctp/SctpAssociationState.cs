namespace PxpActors.WebRtc.Sctp;

/// <summary>Association states (RFC 9260 section 4), with Idle for "not started, answering INITs statelessly".</summary>
public enum SctpAssociationState
{
    Idle,
    CookieWait,
    CookieEchoed,
    Established,
    ShutdownPending,
    ShutdownSent,
    ShutdownReceived,
    ShutdownAckSent,
    Closed,
}
