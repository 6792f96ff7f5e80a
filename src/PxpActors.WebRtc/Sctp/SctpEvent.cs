namespace PxpActors.WebRtc.Sctp;

/// <summary>What an association tells its owner; drained with <see cref="SctpAssociation.TryPollEvent"/>.</summary>
public abstract record SctpEvent
{
    /// <summary>The handshake finished; data flows. Stream counts are the negotiated ones.</summary>
    public sealed record Established(ushort OutboundStreams, ushort InboundStreams, bool PeerSupportsPartialReliability, bool PeerSupportsStreamReset) : SctpEvent;

    /// <summary>A whole user message arrived on a stream.</summary>
    public sealed record MessageReceived(ushort StreamId, uint PayloadProtocolId, ReadOnlyMemory<byte> Data, bool Unordered) : SctpEvent;

    /// <summary>The peer reset these outgoing streams of its own (our incoming side); RFC 8831 reads this as "closing".</summary>
    public sealed record IncomingStreamsReset(IReadOnlyList<ushort> Streams) : SctpEvent;

    /// <summary>The peer performed the reset of our outgoing streams we asked for (Succeeded) or refused it.</summary>
    public sealed record OutgoingStreamsReset(IReadOnlyList<ushort> Streams, bool Succeeded) : SctpEvent;

    /// <summary>Both directions of these streams were reset: their ids are free for reuse.</summary>
    public sealed record StreamsClosed(IReadOnlyList<ushort> Streams) : SctpEvent;

    /// <summary>The association ended: gracefully (SHUTDOWN), aborted by either side, or failed.</summary>
    public sealed record Closed(string Reason, bool Aborted) : SctpEvent;
}
