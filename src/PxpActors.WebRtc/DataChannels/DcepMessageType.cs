namespace PxpActors.WebRtc.DataChannels;

/// <summary>DCEP Message Type values (RFC 8832 section 8.2.1).</summary>
public enum DcepMessageType : byte
{
    /// <summary>DATA_CHANNEL_ACK: the channel a DATA_CHANNEL_OPEN asked for is open.</summary>
    DataChannelAck = 0x02,
    /// <summary>DATA_CHANNEL_OPEN: opens a channel on the stream it arrives on.</summary>
    DataChannelOpen = 0x03,
}
