namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>Parameter type codes used by WebRTC's SCTP (RFC 9260 3.3.2.1, RFC 3758, RFC 5061, RFC 6525).</summary>
public enum ParameterType : ushort
{
    /// <summary>Heartbeat Info: opaque data a HEARTBEAT ACK echoes.</summary>
    HeartbeatInfo = 1,
    /// <summary>IPv4 Address (unused over DTLS).</summary>
    Ipv4Address = 5,
    /// <summary>IPv6 Address (unused over DTLS).</summary>
    Ipv6Address = 6,
    /// <summary>State Cookie, in INIT ACK.</summary>
    StateCookie = 7,
    /// <summary>Unrecognized Parameter, reported in INIT ACK.</summary>
    UnrecognizedParameter = 8,
    /// <summary>Cookie Preservative.</summary>
    CookiePreservative = 9,
    /// <summary>Host Name Address (deprecated).</summary>
    HostNameAddress = 11,
    /// <summary>Supported Address Types.</summary>
    SupportedAddressTypes = 12,
    /// <summary>Outgoing SSN Reset Request (RFC 6525).</summary>
    OutgoingSsnResetRequest = 13,
    /// <summary>Incoming SSN Reset Request (RFC 6525).</summary>
    IncomingSsnResetRequest = 14,
    /// <summary>SSN/TSN Reset Request (RFC 6525).</summary>
    SsnTsnResetRequest = 15,
    /// <summary>Re-configuration Response (RFC 6525).</summary>
    ReconfigurationResponse = 16,
    /// <summary>Add Outgoing Streams Request (RFC 6525).</summary>
    AddOutgoingStreamsRequest = 17,
    /// <summary>Add Incoming Streams Request (RFC 6525).</summary>
    AddIncomingStreamsRequest = 18,
    /// <summary>Supported Extensions: chunk types the sender understands (RFC 5061).</summary>
    SupportedExtensions = 0x8008,
    /// <summary>Forward-TSN-Supported: the sender does partial reliability (RFC 3758).</summary>
    ForwardTsnSupported = 0xC000,
}
