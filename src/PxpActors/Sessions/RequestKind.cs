namespace PxpActors.Sessions;

/// <summary>What a request on a session's "pxp" substream is: one of ours, or the peer's that we answer (Accept…).</summary>
internal enum RequestKind
{
    /// <summary>Our getpeers.</summary>
    GetPeers,

    /// <summary>Our relay, as the asker.</summary>
    Relay,

    /// <summary>Our incoming, as the hub telling a candidate a relay arrives.</summary>
    Incoming,

    /// <summary>Our connect: the application stream.</summary>
    Connect,

    /// <summary>The peer's connect, answered once its substream is open.</summary>
    AcceptConnect,

    /// <summary>The peer's incoming, answered once its substream is open.</summary>
    AcceptIncoming,
}
