namespace PxpActors.WebRtc.Ice;

/// <summary>What an outstanding STUN request is for.</summary>
internal enum IceTransactionKind
{
    /// <summary>A connectivity check on a pair (RFC 8445 §7.2.4).</summary>
    Check,

    /// <summary>A binding request to a STUN server, for a server-reflexive candidate (RFC 8445 §5.1.1.2).</summary>
    ServerBinding,

    /// <summary>A consent freshness check on the selected pair (RFC 7675).</summary>
    Consent,
}
