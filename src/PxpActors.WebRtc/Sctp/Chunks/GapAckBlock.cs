namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// A run of received TSNs above the cumulative ack in a SACK (RFC 9260 section 3.3.4), as offsets from
/// the Cumulative TSN Ack: TSNs cum+Start through cum+End were received.
/// </summary>
public readonly record struct GapAckBlock(ushort Start, ushort End);
