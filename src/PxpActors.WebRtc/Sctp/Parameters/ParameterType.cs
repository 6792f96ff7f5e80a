namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>Parameter type codes used by WebRTC's SCTP (RFC 9260 3.3.2.1, RFC 3758, RFC 5061, RFC 6525).</summary>
public enum ParameterType : ushort
{
    HeartbeatInfo = 1,
    Ipv4Address = 5,
    Ipv6Address = 6,
    StateCookie = 7,
    UnrecognizedParameter = 8,
    CookiePreservative = 9,
    HostNameAddress = 11,
    SupportedAddressTypes = 12,
    OutgoingSsnResetRequest = 13,
    IncomingSsnResetRequest = 14,
    SsnTsnResetRequest = 15,
    ReconfigurationResponse = 16,
    AddOutgoingStreamsRequest = 17,
    AddIncomingStreamsRequest = 18,
    SupportedExtensions = 0x8008,
    ForwardTsnSupported = 0xC000,
}
