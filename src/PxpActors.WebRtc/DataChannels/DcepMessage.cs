namespace PxpActors.WebRtc.DataChannels;

/// <summary>A Data Channel Establishment Protocol message (RFC 8832), sent with PPID 50.</summary>
public abstract record DcepMessage
{
    /// <summary>The message type, its first byte.</summary>
    public abstract DcepMessageType Type { get; }

    /// <summary>The message as it goes on the wire.</summary>
    public abstract byte[] ToArray();

    /// <summary>Parses a DCEP message; throws <see cref="DcepProtocolException"/> on anything malformed or unknown.</summary>
    public static DcepMessage Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            throw new DcepProtocolException("Empty DCEP message.");
        return (DcepMessageType)bytes[0] switch
        {
            DcepMessageType.DataChannelOpen => DataChannelOpenMessage.Read(bytes),
            DcepMessageType.DataChannelAck => DataChannelAckMessage.Read(bytes),
            var other => throw new DcepProtocolException($"Unknown DCEP message type 0x{(byte)other:x2}."),
        };
    }
}
