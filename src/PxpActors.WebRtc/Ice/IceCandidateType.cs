namespace PxpActors.WebRtc.Ice;

/// <summary>Where a candidate address comes from (RFC 8445 §5.1.1).</summary>
public enum IceCandidateType
{
    /// <summary>An address of a local interface ("host").</summary>
    Host,

    /// <summary>Our address as a STUN server outside the NAT saw it ("srflx").</summary>
    ServerReflexive,

    /// <summary>Our address as the peer saw it during a connectivity check ("prflx").</summary>
    PeerReflexive,

    /// <summary>An address on a TURN relay ("relay"); parsed, never gathered by us.</summary>
    Relay,
}
