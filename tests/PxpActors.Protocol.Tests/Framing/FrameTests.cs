using PxpActors.Protocol.Framing;

namespace PxpActors.Protocol.Tests.Framing;

public sealed class FrameTests
{
    public static TheoryData<FrameType> AllTypes => new(Enum.GetValues<FrameType>());

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Frame_of_every_type_must_round_trip(FrameType type)
    {
        var frame = new Frame(5, type, "payload"u8.ToArray());

        var decoded = new FrameCollector().Feed(frame.ToArray()).Frames.Single();

        Assert.Equal(FrameCollector.Expected(frame), decoded);
    }

    [Fact]
    public void Frame_must_be_header_then_length_then_payload_in_one_buffer()
    {
        // Observed at session start of the reference: open channel 0 named "pxp".
        var open = new Frame(0, FrameType.Open, "pxp"u8.ToArray());
        Assert.Equal(new byte[] { 0x00, 0x03, (byte)'p', (byte)'x', (byte)'p' }, open.ToArray());

        var data = new Frame(17, FrameType.DataFromCreator, new byte[200]);
        var bytes = data.ToArray();
        Assert.Equal(new byte[] { 0x8A, 0x01, 0xC8, 0x01 }, bytes[..4]);
        Assert.Equal(4 + 200, bytes.Length);
        Assert.Equal(bytes.Length, data.EncodedLength);
    }

    [Fact]
    public void Frame_WriteTo_must_write_exactly_EncodedLength_bytes()
    {
        var frame = new Frame(Frame.MaxChannel, FrameType.ErrorFromCreator, "bye"u8.ToArray());
        var buffer = new byte[frame.EncodedLength + 3];

        var written = frame.WriteTo(buffer);

        Assert.Equal(frame.EncodedLength, written);
        Assert.Equal(frame.ToArray(), buffer[..written]);
        Assert.Equal(new byte[3], buffer[written..]);
    }

    [Fact]
    public void FrameType_odd_types_must_address_the_receivers_channel()
    {
        var receivers = Enum.GetValues<FrameType>().Where(t => t.AddressesReceiversChannel());

        Assert.Equal([FrameType.DataFromReceiver, FrameType.EndFromReceiver, FrameType.ErrorFromReceiver], receivers);
    }
}
