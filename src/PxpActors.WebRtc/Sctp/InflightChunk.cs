using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Sctp;

/// <summary>One DATA chunk with a TSN, kept until cumulatively acknowledged (RFC 9260 6.2.1).</summary>
internal sealed class InflightChunk(DataChunk chunk, OutgoingMessage message)
{
    /// <summary>Replaced only to set the I bit on the last chunk of a burst (RFC 7053).</summary>
    public DataChunk Chunk { get; set; } = chunk;
    public OutgoingMessage Message { get; } = message;
    public int Size => Chunk.UserData.Length;
    public DateTimeOffset SentAt { get; set; }
    public int TransmitCount { get; set; }

    /// <summary>Acknowledged by a gap block (not yet by the cumulative ack).</summary>
    public bool GapAcked { get; set; }

    /// <summary>Counted in the flight size (sent, not acked, not marked lost).</summary>
    public bool InFlight { get; set; }
    public bool MarkedForRetransmit { get; set; }
    public int MissIndications { get; set; }

    /// <summary>
    /// Already fast-retransmitted: SACKs sent before that copy arrived still report the TSN missing, so
    /// counting them again would resend it needlessly; if the copy is lost too, T3-rtx repairs it.
    /// </summary>
    public bool FastRetransmitted { get; set; }
    public bool Abandoned { get; set; }

    /// <summary>Its bytes were already taken off the buffered amount (acknowledged or abandoned).</summary>
    public bool Released { get; set; }
}
