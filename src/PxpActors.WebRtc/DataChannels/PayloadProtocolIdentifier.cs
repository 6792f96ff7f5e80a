namespace PxpActors.WebRtc.DataChannels;

/// <summary>SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 section 8, RFC 8832 section 8.1).</summary>
public static class PayloadProtocolIdentifier
{
    /// <summary>DCEP control messages (DATA_CHANNEL_OPEN / DATA_CHANNEL_ACK).</summary>
    public const uint Dcep = 50;
    /// <summary>A text message (UTF-8).</summary>
    public const uint String = 51;
    /// <summary>A binary message.</summary>
    public const uint Binary = 53;

    /// <summary>An empty string: SCTP cannot carry zero bytes, so one byte is sent and ignored (RFC 8831 6.6).</summary>
    public const uint StringEmpty = 56;
    /// <summary>An empty binary message: one byte is sent and ignored (RFC 8831 6.6).</summary>
    public const uint BinaryEmpty = 57;
}
