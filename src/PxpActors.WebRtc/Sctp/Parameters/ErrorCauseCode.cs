namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>Error cause codes (RFC 9260 section 3.3.10).</summary>
public enum ErrorCauseCode : ushort
{
    /// <summary>Invalid Stream Identifier.</summary>
    InvalidStreamIdentifier = 1,
    /// <summary>Missing Mandatory Parameter.</summary>
    MissingMandatoryParameter = 2,
    /// <summary>Stale Cookie Error.</summary>
    StaleCookieError = 3,
    /// <summary>Out of Resource.</summary>
    OutOfResource = 4,
    /// <summary>Unresolvable Address.</summary>
    UnresolvableAddress = 5,
    /// <summary>Unrecognized Chunk Type.</summary>
    UnrecognizedChunkType = 6,
    /// <summary>Invalid Mandatory Parameter.</summary>
    InvalidMandatoryParameter = 7,
    /// <summary>Unrecognized Parameters.</summary>
    UnrecognizedParameters = 8,
    /// <summary>No User Data (a DATA chunk without payload).</summary>
    NoUserData = 9,
    /// <summary>Cookie Received While Shutting Down.</summary>
    CookieReceivedWhileShuttingDown = 10,
    /// <summary>Restart of an Association with New Addresses.</summary>
    RestartWithNewAddresses = 11,
    /// <summary>User-Initiated Abort; the information is the reason.</summary>
    UserInitiatedAbort = 12,
    /// <summary>Protocol Violation; the information says which.</summary>
    ProtocolViolation = 13,
}
