namespace PxpActors.WebRtc.DataChannel;

/// <summary>Channel Type of DATA_CHANNEL_OPEN (RFC 8832 section 5.1): reliability, with 0x80 meaning unordered.</summary>
public enum DataChannelType : byte
{
    Reliable = 0x00,
    ReliableUnordered = 0x80,
    PartialReliableRexmit = 0x01,
    PartialReliableRexmitUnordered = 0x81,
    PartialReliableTimed = 0x02,
    PartialReliableTimedUnordered = 0x82,
}
