namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>Chunk type codes (RFC 9260 section 3.2, RFC 3758, RFC 6525).</summary>
public enum ChunkType : byte
{
    /// <summary>DATA: user data (RFC 9260 section 3.3.1).</summary>
    Data = 0,
    /// <summary>INIT: starts an association (section 3.3.2).</summary>
    Init = 1,
    /// <summary>INIT ACK: answers INIT with the state cookie (section 3.3.3).</summary>
    InitAck = 2,
    /// <summary>SACK: acknowledges DATA, with gaps and duplicates (section 3.3.4).</summary>
    Sack = 3,
    /// <summary>HEARTBEAT: probes the peer (section 3.3.5).</summary>
    Heartbeat = 4,
    /// <summary>HEARTBEAT ACK: echoes a HEARTBEAT's info (section 3.3.6).</summary>
    HeartbeatAck = 5,
    /// <summary>ABORT: ends the association at once (section 3.3.7).</summary>
    Abort = 6,
    /// <summary>SHUTDOWN: starts a graceful close (section 3.3.8).</summary>
    Shutdown = 7,
    /// <summary>SHUTDOWN ACK: answers SHUTDOWN (section 3.3.9).</summary>
    ShutdownAck = 8,
    /// <summary>ERROR: reports error causes without ending the association (section 3.3.10).</summary>
    Error = 9,
    /// <summary>COOKIE ECHO: returns the state cookie (section 3.3.11).</summary>
    CookieEcho = 10,
    /// <summary>COOKIE ACK: the association is established (section 3.3.12).</summary>
    CookieAck = 11,
    /// <summary>SHUTDOWN COMPLETE: the graceful close is done (section 3.3.13).</summary>
    ShutdownComplete = 14,
    /// <summary>RE-CONFIG: stream reset requests and responses (RFC 6525).</summary>
    ReConfig = 130,
    /// <summary>FORWARD TSN: skips abandoned partially reliable data (RFC 3758).</summary>
    ForwardTsn = 192,
}
