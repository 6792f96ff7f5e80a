using System.Buffers.Binary;
using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// An SCTP packet (RFC 9260 section 3.1): the common header, then chunks. Over DTLS (RFC 8261) there are
/// no IP addresses; the ports are WebRTC's (5000 unless SDP says otherwise).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Source Port Number        |     Destination Port Number   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      Verification Tag                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           Checksum                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                      chunk #1 ... chunk #n                    /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The checksum is CRC-32C over the whole packet with the checksum field zeroed, stored little-endian
/// (RFC 9260 appendix A).
/// </summary>
public sealed record SctpPacket(ushort SourcePort, ushort DestinationPort, uint VerificationTag, IReadOnlyList<Chunk> Chunks)
{
    /// <summary>Bytes of the common header: ports, verification tag, checksum.</summary>
    public const int CommonHeaderLength = 12;

    /// <summary>Bytes of the whole packet, chunks padded.</summary>
    public int Length => CommonHeaderLength + Chunks.Sum(c => c.PaddedLength);

    /// <summary>The packet as it goes on the wire, its CRC32c checksum filled in.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteHeader(bytes, SourcePort, DestinationPort, VerificationTag);
        var offset = CommonHeaderLength;
        foreach (var chunk in Chunks)
            offset += chunk.WriteTo(bytes.AsSpan(offset));
        SealChecksum(bytes);
        return bytes;
    }

    internal static void WriteHeader(Span<byte> destination, ushort sourcePort, ushort destinationPort, uint verificationTag)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], verificationTag);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], 0);
    }

    /// <summary>Computes and stores the checksum of a fully written packet.</summary>
    internal static void SealChecksum(Span<byte> packet)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], Crc32c.Compute(packet));
    }

    /// <summary>Parses and checksum-verifies a packet; every defect is a <see cref="SctpProtocolException"/>.</summary>
    public static SctpPacket Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < CommonHeaderLength + Chunk.HeaderLength)
            throw new SctpProtocolException($"SCTP packet too short ({bytes.Length} bytes).");
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (ChecksumOf(bytes) != expected)
            throw new SctpProtocolException("SCTP packet checksum mismatch.");
        var chunks = new List<Chunk>();
        var rest = bytes[CommonHeaderLength..];
        while (rest.Length > 0)
        {
            chunks.Add(Chunk.ParseNext(rest, out var consumed));
            rest = rest[consumed..];
        }
        return new SctpPacket(BinaryPrimitives.ReadUInt16BigEndian(bytes), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]), chunks);
    }

    private static uint ChecksumOf(ReadOnlySpan<byte> packet)
    {
        Span<byte> header = stackalloc byte[CommonHeaderLength];
        packet[..CommonHeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 0);
        return Crc32c.Compute(header, packet[CommonHeaderLength..]);
    }
}
