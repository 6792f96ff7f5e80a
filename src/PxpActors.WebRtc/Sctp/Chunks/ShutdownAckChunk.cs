namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// SHUTDOWN ACK (RFC 9260 section 3.3.9): the peer of a SHUTDOWN has nothing left to send.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 8    |  Chunk Flags  |          Length = 4           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ShutdownAckChunk : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.ShutdownAck;
    /// <inheritdoc/>
    public override int ValueLength => 0;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) { }

    internal static ShutdownAckChunk ReadValue(ReadOnlySpan<byte> value)
    {
        RequireEmpty(ChunkType.ShutdownAck, value);
        return new();
    }
}
