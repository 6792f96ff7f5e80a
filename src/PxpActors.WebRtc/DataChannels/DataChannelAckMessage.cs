namespace PxpActors.WebRtc.DataChannels;

/// <summary>
/// DATA_CHANNEL_ACK (RFC 8832 section 5.2): confirms a DATA_CHANNEL_OPEN on the same stream.
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |  Message Type |   0x02
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record DataChannelAckMessage : DcepMessage
{
    /// <inheritdoc/>
    public override DcepMessageType Type => DcepMessageType.DataChannelAck;

    /// <inheritdoc/>
    public override byte[] ToArray() => [(byte)DcepMessageType.DataChannelAck];

    internal static DataChannelAckMessage Read(ReadOnlySpan<byte> bytes) => bytes.Length == 1
        ? new()
        : throw new DcepProtocolException($"DATA_CHANNEL_ACK must be 1 byte, is {bytes.Length}.");
}
