namespace PxpActors.WebRtc.Ice;

/// <summary>Why an ICE agent failed, so callers can react without parsing messages.</summary>
public enum IceFailureReason
{
    /// <summary>No pair was selected within <see cref="IceAgentOptions.ConnectTimeout"/>.</summary>
    ConnectTimeout,

    /// <summary>Every candidate pair failed and the peer signalled end-of-candidates.</summary>
    AllPairsFailed,

    /// <summary>The peer stopped answering consent checks (RFC 7675).</summary>
    ConsentExpired,

    /// <summary>The agent was closed before it connected.</summary>
    Closed,

    /// <summary>The local network could not be used (no usable interface, bind failure).</summary>
    Network,
}
