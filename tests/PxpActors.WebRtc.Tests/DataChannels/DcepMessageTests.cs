using PxpActors.WebRtc.DataChannels;
using Xunit;

namespace PxpActors.WebRtc.Tests.DataChannels;

public sealed class DcepMessageTests
{
    [Fact]
    public void DataChannelOpen_must_have_the_RFC_8832_layout()
    {
        var bytes = new DataChannelOpenMessage(DataChannelType.PartialReliableRexmitUnordered, 256, 3, "chat", "p").ToArray();
        Assert.Equal(new byte[] { 0x03, 0x81, 0x01, 0x00, 0, 0, 0, 3, 0, 4, 0, 1, (byte)'c', (byte)'h', (byte)'a', (byte)'t', (byte)'p' }, bytes);
    }

    [Theory]
    [InlineData(DataChannelType.Reliable, 0u)]
    [InlineData(DataChannelType.ReliableUnordered, 0u)]
    [InlineData(DataChannelType.PartialReliableRexmit, 5u)]
    [InlineData(DataChannelType.PartialReliableRexmitUnordered, 0u)]
    [InlineData(DataChannelType.PartialReliableTimed, 1500u)]
    [InlineData(DataChannelType.PartialReliableTimedUnordered, 100u)]
    public void DataChannelOpen_must_round_trip_every_channel_type(DataChannelType type, uint reliability)
    {
        var open = new DataChannelOpenMessage(type, 512, reliability, "lábel ✓", "proto");
        var parsed = Assert.IsType<DataChannelOpenMessage>(DcepMessage.Parse(open.ToArray()));
        Assert.Equal(open, parsed);
        Assert.Equal(((byte)type & 0x80) == 0, parsed.Ordered);
    }

    [Fact]
    public void DataChannelAck_must_round_trip_as_one_byte()
    {
        Assert.Equal(new byte[] { 0x02 }, new DataChannelAckMessage().ToArray());
        Assert.IsType<DataChannelAckMessage>(DcepMessage.Parse(new byte[] { 0x02 }));
    }

    public static TheoryData<string, byte[], string> Malformed() => new()
    {
        { "empty", Array.Empty<byte>(), "Empty" },
        { "unknown type", new byte[] { 0x07 }, "Unknown DCEP message type" },
        { "ACK with extra bytes", new byte[] { 0x02, 0x00 }, "must be 1 byte" },
        { "OPEN too short", new byte[] { 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "too short" },
        { "OPEN length mismatch", new byte[] { 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, (byte)'a' }, "announces" },
        { "OPEN unknown channel type", new byte[] { 0x03, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "unknown channel type" },
        { "OPEN label not UTF-8", new byte[] { 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0xFF }, "not UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_DCEP_message_must_be_rejected_with_a_clear_exception(string what, byte[] bytes, string expected)
    {
        var e = Assert.Throws<DcepProtocolException>(() => DcepMessage.Parse(bytes));
        Assert.True(e.Message.Contains(expected, StringComparison.OrdinalIgnoreCase), $"{what}: '{e.Message}' lacks '{expected}'");
    }
}
