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
