using PxpActors.Protocol.Framing;

namespace PxpActors.Protocol.Tests.Framing;

public sealed class VarintTests
{
    public static TheoryData<uint, byte[]> KnownEncodings => new()
    {
        { 0u, [0x00] },
        { 1u, [0x01] },
        { 127u, [0x7F] },
        { 128u, [0x80, 0x01] },
        { 300u, [0xAC, 0x02] },
        { 16_383u, [0xFF, 0x7F] },
        { 16_384u, [0x80, 0x80, 0x01] },
        { (1u << 21) - 1, [0xFF, 0xFF, 0x7F] },
        { 1u << 21, [0x80, 0x80, 0x80, 0x01] },
        { (1u << 28) - 1, [0xFF, 0xFF, 0xFF, 0x7F] },
        { 1u << 28, [0x80, 0x80, 0x80, 0x80, 0x01] },
        { uint.MaxValue, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F] },
    };

    [Theory]
    [MemberData(nameof(KnownEncodings))]
    public void Varint_must_write_unsigned_LEB128_low_group_first(uint value, byte[] expected)
    {
        var buffer = new byte[Varint.MaxLength];
        var written = Varint.Write(value, buffer);

        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, Varint.SizeOf(value));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(126u)] // largest one-byte header (127 is type 7)
    [InlineData(128u)]
    [InlineData(1u << 28)]
    [InlineData(Frame.MaxChannel << 3 | 6)]
    public void Varint_must_round_trip_through_the_frame_decoder_as_a_header(uint header)
    {
        var frame = new Frame(header >> 3, (FrameType)(header & 7), new byte[] { 42 });

        var decoded = new FrameCollector().Feed(frame.ToArray()).Frames.Single();

        Assert.Equal(header >> 3, decoded.Channel);
        Assert.Equal((FrameType)(header & 7), decoded.Type);
        Assert.Equal(new byte[] { 42 }, decoded.Payload);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    public void Varint_must_round_trip_through_the_frame_decoder_as_a_length(int length)
    {
        var payload = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var frame = new Frame(3, FrameType.DataFromCreator, payload);

        var decoded = new FrameCollector().Feed(frame.ToArray()).Frames.Single();

        Assert.Equal(payload, decoded.Payload);
    }

    [Fact]
    public void Varint_must_decode_a_length_of_2_pow_28_and_reject_it_against_the_limit_without_its_payload()
    {
        var bytes = new byte[] { 0x02, 0x80, 0x80, 0x80, 0x80, 0x01 };

        var error = Assert.Throws<PxpProtocolException>(() => new FrameCollector().Feed(bytes));

        Assert.Contains("268435456", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80 })]
    [InlineData(new byte[] { 0x02, 0x80 })]
    public void Varint_that_is_truncated_must_yield_no_frame_and_leave_the_decoder_mid_frame(byte[] bytes)
    {
        var collector = new FrameCollector().Feed(bytes);

        Assert.Empty(collector.Frames);
        Assert.False(collector.Decoder.IsAtFrameBoundary);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })] // six bytes
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x10 })]       // 33 bits
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F })]       // 35 bits
    [InlineData(new byte[] { 0x02, 0x80, 0x80, 0x80, 0x80, 0x80 })] // length varint, six bytes
    public void Varint_longer_than_5_bytes_or_32_bits_must_be_rejected(byte[] bytes)
    {
        var error = Assert.Throws<PxpProtocolException>(() => new FrameCollector().Feed(bytes));

        Assert.Contains("longer than 32 bits", error.Message);
    }

    [Fact]
    public void Varint_that_is_not_minimal_but_fits_5_bytes_must_be_accepted()
    {
        // Header 2 spelled with five bytes is still LEB128; only the length of the spelling is bounded.
        var bytes = new byte[] { 0x82, 0x80, 0x80, 0x80, 0x00, 0x00 };

        var frame = new FrameCollector().Feed(bytes).Frames.Single();

        Assert.Equal((0u, FrameType.DataFromCreator), (frame.Channel, frame.Type));
        Assert.Empty(frame.Payload);
    }
}
