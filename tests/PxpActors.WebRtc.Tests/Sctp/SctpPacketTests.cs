using Xunit;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class SctpPacketTests
{
    [Fact]
    public void Packet_must_round_trip_with_a_valid_checksum()
    {
        var packet = new SctpPacket(5000, 5000, 0xCAFEBABE, [new CookieAckChunk(), new SackChunk(9, 1000, [], []), new DataChunk(10, 1, 0, 51, "hi"u8.ToArray(), false, true, true)]);
        var bytes = packet.ToArray();
        var parsed = SctpPacket.Parse(bytes);
        Assert.Equal((5000, 5000, 0xCAFEBABEu), (parsed.SourcePort, parsed.DestinationPort, parsed.VerificationTag));
        Assert.Equal([ChunkType.CookieAck, ChunkType.Sack, ChunkType.Data], parsed.Chunks.Select(c => c.Type));
        Assert.Equal(bytes, parsed.ToArray());
    }

    [Fact]
    public void Packet_checksum_must_be_CRC32c_stored_little_endian()
    {
        var bytes = new SctpPacket(1, 2, 3, [new CookieAckChunk()]).ToArray();
        var copy = (byte[])bytes.Clone();
        copy[8] = copy[9] = copy[10] = copy[11] = 0;
        var crc = Crc32c.Compute(copy);
        Assert.Equal(new[] { (byte)crc, (byte)(crc >> 8), (byte)(crc >> 16), (byte)(crc >> 24) }, bytes[8..12]);
    }

    [Fact]
    public void Packet_with_a_flipped_bit_must_be_rejected()
    {
        var bytes = new SctpPacket(5000, 5000, 1, [new ShutdownChunk(5)]).ToArray();
        bytes[^1] ^= 0x01;
        Assert.Contains("checksum", Assert.Throws<SctpProtocolException>(() => SctpPacket.Parse(bytes)).Message);
    }

    [Fact]
    public void Packet_shorter_than_header_and_one_chunk_must_be_rejected()
    {
        Assert.Contains("too short", Assert.Throws<SctpProtocolException>(() => SctpPacket.Parse(new byte[12])).Message);
    }
}
