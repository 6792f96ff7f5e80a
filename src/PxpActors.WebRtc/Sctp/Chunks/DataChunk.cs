using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// DATA (RFC 9260 section 3.3.1): one fragment of a user message. U = unordered, B = first fragment,
/// E = last fragment, I = ask for an immediate SACK (RFC 7053).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 0    |  Res  |I|U|B|E|           Length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              TSN                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Stream Identifier S      |   Stream Sequence Number n    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Payload Protocol Identifier                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                 User Data (seq n of Stream S)                 /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record DataChunk(
    uint Tsn,
    ushort StreamId,
    ushort StreamSequenceNumber,
    uint PayloadProtocolId,
    ReadOnlyMemory<byte> UserData,
    bool Unordered,
    bool Beginning,
    bool Ending,
    bool ImmediateAck = false) : Chunk
{
    /// <summary>Bytes of a DATA chunk before its user data.</summary>
    public const int DataHeaderLength = HeaderLength + 12;

    private const byte EndingFlag = 0x01, BeginningFlag = 0x02, UnorderedFlag = 0x04, ImmediateFlag = 0x08;

    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.Data;

    /// <inheritdoc/>
    public override byte Flags => (byte)((Ending ? EndingFlag : 0) | (Beginning ? BeginningFlag : 0)
        | (Unordered ? UnorderedFlag : 0) | (ImmediateAck ? ImmediateFlag : 0));

    /// <inheritdoc/>
    public override int ValueLength => 12 + UserData.Length;

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Tsn);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], StreamSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], PayloadProtocolId);
        UserData.Span.CopyTo(destination[12..]);
    }

    internal static DataChunk ReadValue(byte flags, ReadOnlySpan<byte> value)
    {
        if (value.Length < 12)
            throw new SctpProtocolException($"DATA chunk too short ({value.Length + HeaderLength} bytes).");
        if (value.Length == 12)
            throw new SctpProtocolException("DATA chunk carries no user data (RFC 9260 6.2).");
        return new DataChunk(
            BinaryPrimitives.ReadUInt32BigEndian(value),
            BinaryPrimitives.ReadUInt16BigEndian(value[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(value[6..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[8..]),
            value[12..].ToArray(),
            (flags & UnorderedFlag) != 0,
            (flags & BeginningFlag) != 0,
            (flags & EndingFlag) != 0,
            (flags & ImmediateFlag) != 0);
    }
}
