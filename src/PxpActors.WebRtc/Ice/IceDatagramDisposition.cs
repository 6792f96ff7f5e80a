namespace PxpActors.WebRtc.Ice;

/// <summary>What the agent made of a received datagram.</summary>
internal enum IceDatagramDisposition
{
    /// <summary>STUN, handled inside ICE.</summary>
    Stun,

    /// <summary>Not STUN and from an authenticated peer address: hand it to the layer above (DTLS).</summary>
    Application,

    /// <summary>Malformed, unauthenticated, or from an unknown address: ignored.</summary>
    Dropped,
}
