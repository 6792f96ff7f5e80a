namespace PxpActors.WebRtc.Datagrams;

/// <summary>What a datagram on a WebRTC 5-tuple carries, told apart by its first byte (RFC 7983).</summary>
public enum PacketKind
{
    /// <summary>None of the others: dropped.</summary>
    Unknown,
    /// <summary>STUN (first byte 0-3).</summary>
    Stun,
    /// <summary>ZRTP (first byte 16-19).</summary>
    Zrtp,
    /// <summary>DTLS (first byte 20-63).</summary>
    Dtls,
    /// <summary>TURN channel data (first byte 64-79).</summary>
    TurnChannel,
    /// <summary>RTP or RTCP (first byte 128-191).</summary>
    Rtp,
}
