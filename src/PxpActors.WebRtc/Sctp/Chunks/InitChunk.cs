using System.Buffers.Binary;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// INIT (RFC 9260 section 3.3.2): opens an association. The sender's Initiate Tag becomes the
/// verification tag of every packet sent to it.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 1    |  Chunk Flags  |      Chunk Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Initiate Tag                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Advertised Receiver Window Credit (a_rwnd)           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Number of Outbound Streams   |   Number of Inbound Streams   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          Initial TSN                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \              Optional/Variable-Length Parameters              /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record InitChunk(
    uint InitiateTag,
    uint AdvertisedReceiverWindowCredit,
    ushort OutboundStreams,
    ushort InboundStreams,
    uint InitialTsn,
    IReadOnlyList<Parameter> Parameters) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.Init;
    /// <inheritdoc/>
    public override int ValueLength => 16 + Parameter.ListLength(Parameters);

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) =>
        InitFields.Write(destination, InitiateTag, AdvertisedReceiverWindowCredit, OutboundStreams, InboundStreams, InitialTsn, Parameters);

    internal static InitChunk ReadValue(ReadOnlySpan<byte> value)
    {
        InitFields.Read(ChunkType.Init, value, out var tag, out var window, out var outbound, out var inbound, out var tsn, out var parameters);
        return new InitChunk(tag, window, outbound, inbound, tsn, parameters);
    }
}

/// <summary>The fixed fields INIT and INIT ACK share, with the checks RFC 9260 3.3.2 makes mandatory.</summary>
internal static class InitFields
{
    public static void Write(Span<byte> destination, uint tag, uint window, ushort outbound, ushort inbound, uint tsn, IReadOnlyList<Parameter> parameters)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, tag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], window);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], outbound);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], inbound);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], tsn);
        Parameter.WriteList(parameters, destination[16..]);
    }

    public static void Read(ChunkType type, ReadOnlySpan<byte> value, out uint tag, out uint window, out ushort outbound,
        out ushort inbound, out uint tsn, out IReadOnlyList<Parameter> parameters)
    {
        if (value.Length < 16)
            throw new SctpProtocolException($"{type} chunk too short ({value.Length + Chunk.HeaderLength} bytes).");
        tag = BinaryPrimitives.ReadUInt32BigEndian(value);
        window = BinaryPrimitives.ReadUInt32BigEndian(value[4..]);
        outbound = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        inbound = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        tsn = BinaryPrimitives.ReadUInt32BigEndian(value[12..]);
        if (tag == 0)
            throw new SctpProtocolException($"{type} has a zero Initiate Tag.");
        if (outbound == 0 || inbound == 0)
            throw new SctpProtocolException($"{type} announces zero streams ({outbound} out, {inbound} in).");
        parameters = Parameter.ParseAll(value[16..]);
    }
}
