using System.Buffers.Binary;
using System.Text;

namespace PxpActors.WebRtc.DataChannels;

/// <summary>
/// DATA_CHANNEL_OPEN (RFC 8832 section 5.1): opens a channel on the stream it is sent on, with its
/// reliability, priority, label and sub-protocol (both UTF-8).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Message Type |  Channel Type |            Priority           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Reliability Parameter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Label Length          |       Protocol Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                             Label                             /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                            Protocol                           /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The Reliability Parameter is the retransmission count (REXMIT types) or lifetime in ms (TIMED types).
/// </summary>
public sealed record DataChannelOpenMessage(DataChannelType ChannelType, ushort Priority, uint ReliabilityParameter, string Label, string Protocol)
    : DcepMessage
{
    private const int FixedLength = 12;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc/>
    public override DcepMessageType Type => DcepMessageType.DataChannelOpen;

    /// <summary>True unless the channel type has its unordered bit (0x80) set.</summary>
    public bool Ordered => ((byte)ChannelType & 0x80) == 0;

    /// <inheritdoc/>
    public override byte[] ToArray()
    {
        var label = StrictUtf8.GetBytes(Label);
        var protocol = StrictUtf8.GetBytes(Protocol);
        if (label.Length > ushort.MaxValue || protocol.Length > ushort.MaxValue)
            throw new ArgumentException("Label and protocol must each fit in 65535 UTF-8 bytes.");
        var bytes = new byte[FixedLength + label.Length + protocol.Length];
        bytes[0] = (byte)DcepMessageType.DataChannelOpen;
        bytes[1] = (byte)ChannelType;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), Priority);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), ReliabilityParameter);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(8), (ushort)label.Length);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)protocol.Length);
        label.CopyTo(bytes, FixedLength);
        protocol.CopyTo(bytes, FixedLength + label.Length);
        return bytes;
    }

    internal static DataChannelOpenMessage Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedLength)
            throw new DcepProtocolException($"DATA_CHANNEL_OPEN too short ({bytes.Length} bytes).");
        var channelType = (DataChannelType)bytes[1];
        if (!Enum.IsDefined(channelType))
            throw new DcepProtocolException($"DATA_CHANNEL_OPEN has unknown channel type 0x{bytes[1]:x2}.");
        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]);
        if (bytes.Length != FixedLength + labelLength + protocolLength)
            throw new DcepProtocolException(
                $"DATA_CHANNEL_OPEN is {bytes.Length} bytes but announces a {labelLength}-byte label and a {protocolLength}-byte protocol.");
        try
        {
            return new DataChannelOpenMessage(channelType, BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
                StrictUtf8.GetString(bytes.Slice(FixedLength, labelLength)), StrictUtf8.GetString(bytes.Slice(FixedLength + labelLength, protocolLength)));
        }
        catch (DecoderFallbackException e)
        {
            throw new DcepProtocolException($"DATA_CHANNEL_OPEN label or protocol is not UTF-8: {e.Message}");
        }
    }
}
