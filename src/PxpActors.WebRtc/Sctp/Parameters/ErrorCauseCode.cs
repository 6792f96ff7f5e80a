namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>Error cause codes (RFC 9260 section 3.3.10).</summary>
public enum ErrorCauseCode : ushort
{
    InvalidStreamIdentifier = 1,
    MissingMandatoryParameter = 2,
    StaleCookieError = 3,
    OutOfResource = 4,
    UnresolvableAddress = 5,
    UnrecognizedChunkType = 6,
    InvalidMandatoryParameter = 7,
    UnrecognizedParameters = 8,
    NoUserData = 9,
    CookieReceivedWhileShuttingDown = 10,
    RestartWithNewAddresses = 11,
    UserInitiatedAbort = 12,
    ProtocolViolation = 13,
}
