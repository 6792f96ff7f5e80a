using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// FORWARD TSN (RFC 3758 section 3.2): the receiver moves its cumulative TSN to New Cumulative TSN,
/// giving up on abandoned data, and skips ordered messages up to the listed stream sequence numbers.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 192  |  Flags = 0x00 |        Length = Variable      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      New Cumulative TSN                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Stream-1              |       Stream Sequence-1       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                              ...                              /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Stream-N              |       Stream Sequence-N       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ForwardTsnChunk(uint NewCumulativeTsn, IReadOnlyList<ForwardTsnStream> Streams) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.ForwardTsn;
    /// <inheritdoc/>
    public override int ValueLength => 4 + 4 * Streams.Count;

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, NewCumulativeTsn);
        for (var i = 0; i < Streams.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(4 + 4 * i)..], Streams[i].StreamId);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(6 + 4 * i)..], Streams[i].StreamSequenceNumber);
        }
    }

    internal static ForwardTsnChunk ReadValue(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4 || value.Length % 4 != 0)
            throw new SctpProtocolException($"FORWARD TSN chunk has bad length {value.Length + HeaderLength}.");
        var streams = new ForwardTsnStream[(value.Length - 4) / 4];
        for (var i = 0; i < streams.Length; i++)
            streams[i] = new(BinaryPrimitives.ReadUInt16BigEndian(value[(4 + 4 * i)..]), BinaryPrimitives.ReadUInt16BigEndian(value[(6 + 4 * i)..]));
        return new(BinaryPrimitives.ReadUInt32BigEndian(value), streams);
    }
}
