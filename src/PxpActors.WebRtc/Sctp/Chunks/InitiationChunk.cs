using System.Buffers.Binary;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// The layout INIT (RFC 9260 section 3.3.2) and INIT ACK (section 3.3.3) share: the sender's Initiate Tag becomes
/// the verification tag of every packet sent to it; INIT ACK's parameters carry the State Cookie.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Type = 1 or 2 |  Chunk Flags  |      Chunk Length             |
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
public abstract record InitiationChunk(
    uint InitiateTag,
    uint AdvertisedReceiverWindowCredit,
    ushort OutboundStreams,
    ushort InboundStreams,
    uint InitialTsn,
    IReadOnlyList<Parameter> Parameters) : Chunk
{
    /// <inheritdoc/>
    public override int ValueLength => 16 + Parameter.ListLength(Parameters);

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, InitiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], AdvertisedReceiverWindowCredit);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], OutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], InboundStreams);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], InitialTsn);
        Parameter.WriteList(Parameters, destination[16..]);
    }

    /// <summary>Reads the fields with the checks RFC 9260 3.3.2 makes mandatory, and hands them to <paramref name="create"/>.</summary>
    private protected static T ReadValue<T>(ChunkType type, ReadOnlySpan<byte> value,
        Func<uint, uint, ushort, ushort, uint, IReadOnlyList<Parameter>, T> create)
    {
        if (value.Length < 16)
            throw new SctpProtocolException($"{type} chunk too short ({value.Length + HeaderLength} bytes).");
        var tag = BinaryPrimitives.ReadUInt32BigEndian(value);
        var window = BinaryPrimitives.ReadUInt32BigEndian(value[4..]);
        var outbound = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        var inbound = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        var tsn = BinaryPrimitives.ReadUInt32BigEndian(value[12..]);
        if (tag == 0)
            throw new SctpProtocolException($"{type} has a zero Initiate Tag.");
        if (outbound == 0 || inbound == 0)
            throw new SctpProtocolException($"{type} announces zero streams ({outbound} out, {inbound} in).");
        return create(tag, window, outbound, inbound, tsn, Parameter.ParseAll(value[16..]));
    }
}
