namespace PxpActors.WebRtc.DataChannel;

/// <summary>DCEP Message Type values (RFC 8832 section 8.2.1).</summary>
public enum DcepMessageType : byte
{
    DataChannelAck = 0x02,
    DataChannelOpen = 0x03,
}
