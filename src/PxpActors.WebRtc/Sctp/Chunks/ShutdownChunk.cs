using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// SHUTDOWN (RFC 9260 section 3.3.8): starts a graceful close, acknowledging data up to a TSN.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 7    |  Chunk Flags  |          Length = 8           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      Cumulative TSN Ack                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ShutdownChunk(uint CumulativeTsnAck) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.Shutdown;
    /// <inheritdoc/>
    public override int ValueLength => 4;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, CumulativeTsnAck);

    internal static ShutdownChunk ReadValue(ReadOnlySpan<byte> value) => value.Length == 4
        ? new(BinaryPrimitives.ReadUInt32BigEndian(value))
        : throw new SctpProtocolException($"SHUTDOWN chunk must be 8 bytes long, is {value.Length + HeaderLength}.");
}
