using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Sctp;

/// <summary>A user message accepted by Send, fragmented lazily as TSNs are assigned.</summary>
internal sealed class OutgoingMessage(ushort streamId, uint ppid, ReadOnlyMemory<byte> data, SctpSendOptions options, DateTimeOffset? expiresAt)
{
    public ushort StreamId { get; } = streamId;
    public uint PayloadProtocolId { get; } = ppid;
    public ReadOnlyMemory<byte> Data { get; } = data;
    public bool Unordered { get; } = options.Unordered;
    public int? MaxRetransmits { get; } = options.MaxRetransmits;
    public DateTimeOffset? ExpiresAt { get; } = expiresAt;

    /// <summary>Bytes already cut into DATA chunks.</summary>
    public int FragmentedBytes { get; set; }
    public bool FullyFragmented => FragmentedBytes == Data.Length;
    public ushort StreamSequenceNumber { get; set; }

    /// <summary>Bytes not yet acknowledged or abandoned; counted in bufferedAmount.</summary>
    public int UnacknowledgedBytes { get; set; } = data.Length;
    public bool Abandoned { get; set; }
    public bool IsPartiallyReliable => MaxRetransmits is not null || ExpiresAt is not null;

    /// <summary>Position in the send queue while some of it is not yet cut into chunks.</summary>
    public LinkedListNode<OutgoingMessage>? QueueNode { get; set; }
}

/// <summary>One DATA chunk with a TSN, kept until cumulatively acknowledged (RFC 9260 6.2.1).</summary>
internal sealed class InflightChunk(DataChunk chunk, OutgoingMessage message)
{
    public DataChunk Chunk { get; } = chunk;
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
    public bool Abandoned { get; set; }

    /// <summary>Its bytes were already taken off the buffered amount (acknowledged or abandoned).</summary>
    public bool Released { get; set; }
}
