using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// SACK (RFC 9260 section 3.3.4): cumulative ack, receive window, gap blocks and duplicate TSNs.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 3    |  Chunk Flags  |         Chunk Length          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      Cumulative TSN Ack                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Advertised Receiver Window Credit (a_rwnd)           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Number of Gap Ack Blocks = N  |  Number of Duplicate TSNs = M |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Gap Ack Block #1 Start     |     Gap Ack Block #1 End      |
/// /                              ...                              /
/// |    Gap Ack Block #N Start     |     Gap Ack Block #N End      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        Duplicate TSN 1                        |
/// /                              ...                              /
/// |                        Duplicate TSN M                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record SackChunk(
    uint CumulativeTsnAck,
    uint AdvertisedReceiverWindowCredit,
    IReadOnlyList<GapAckBlock> GapAckBlocks,
    IReadOnlyList<uint> DuplicateTsns) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.Sack;
    /// <inheritdoc/>
    public override int ValueLength => 12 + 4 * GapAckBlocks.Count + 4 * DuplicateTsns.Count;

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, CumulativeTsnAck);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], AdvertisedReceiverWindowCredit);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)GapAckBlocks.Count);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], (ushort)DuplicateTsns.Count);
        var offset = 12;
        foreach (var block in GapAckBlocks)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], block.Start);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], block.End);
            offset += 4;
        }
        foreach (var tsn in DuplicateTsns)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], tsn);
            offset += 4;
        }
    }

    internal static SackChunk ReadValue(ReadOnlySpan<byte> value)
    {
        if (value.Length < 12)
            throw new SctpProtocolException($"SACK chunk too short ({value.Length + HeaderLength} bytes).");
        int gaps = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        int duplicates = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        if (value.Length != 12 + 4 * gaps + 4 * duplicates)
            throw new SctpProtocolException($"SACK length {value.Length + HeaderLength} does not match {gaps} gap blocks and {duplicates} duplicates.");
        var blocks = new GapAckBlock[gaps];
        var offset = 12;
        for (var i = 0; i < gaps; i++, offset += 4)
        {
            blocks[i] = new GapAckBlock(BinaryPrimitives.ReadUInt16BigEndian(value[offset..]), BinaryPrimitives.ReadUInt16BigEndian(value[(offset + 2)..]));
            if (blocks[i].Start == 0 || blocks[i].End < blocks[i].Start)
                throw new SctpProtocolException($"SACK gap block {blocks[i].Start}..{blocks[i].End} is invalid.");
        }
        var dups = new uint[duplicates];
        for (var i = 0; i < duplicates; i++, offset += 4)
            dups[i] = BinaryPrimitives.ReadUInt32BigEndian(value[offset..]);
        return new SackChunk(BinaryPrimitives.ReadUInt32BigEndian(value), BinaryPrimitives.ReadUInt32BigEndian(value[4..]), blocks, dups);
    }
}
