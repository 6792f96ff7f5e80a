namespace PxpActors.WebRtc.Datagrams;

/// <summary>
/// RFC 7983 §7 demultiplexing: STUN, DTLS and the rest share one UDP 5-tuple and are told apart by the
/// first byte alone.
/// <code>
///                 +----------------+
///                 |        [0..3] -+--> STUN
///                 |      [16..19] -+--> ZRTP
///   packet -->    |      [20..63] -+--> DTLS
///                 |      [64..79] -+--> TURN channel
///                 |    [128..191] -+--> RTP/RTCP
///                 +----------------+
/// </code>
/// </summary>
public static class DatagramDemux
{
    /// <summary>What protocol <paramref name="datagram"/> belongs to, by its first byte (RFC 7983).</summary>
    public static PacketKind Classify(ReadOnlySpan<byte> datagram) =>
        datagram.IsEmpty
            ? PacketKind.Unknown
            : datagram[0] switch
            {
                <= 3 => PacketKind.Stun,
                >= 16 and <= 19 => PacketKind.Zrtp,
                >= 20 and <= 63 => PacketKind.Dtls,
                >= 64 and <= 79 => PacketKind.TurnChannel,
                >= 128 and <= 191 => PacketKind.Rtp,
                _ => PacketKind.Unknown,
            };
}
