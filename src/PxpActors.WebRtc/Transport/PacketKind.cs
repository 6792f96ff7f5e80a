namespace PxpActors.WebRtc.Transport;

/// <summary>What a datagram on a WebRTC 5-tuple carries, told apart by its first byte (RFC 7983).</summary>
public enum PacketKind
{
    Unknown,
    Stun,
    Zrtp,
    Dtls,
    TurnChannel,
    Rtp,
}
