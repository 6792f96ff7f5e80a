namespace PxpActors.WebRtc.DataChannels;

/// <summary>Channel Type of DATA_CHANNEL_OPEN (RFC 8832 section 5.1): reliability, with 0x80 meaning unordered.</summary>
public enum DataChannelType : byte
{
    /// <summary>Reliable and ordered.</summary>
    Reliable = 0x00,
    /// <summary>Reliable, unordered.</summary>
    ReliableUnordered = 0x80,
    /// <summary>Ordered, retransmitted a limited number of times.</summary>
    PartialReliableRexmit = 0x01,
    /// <summary>Unordered, retransmitted a limited number of times.</summary>
    PartialReliableRexmitUnordered = 0x81,
    /// <summary>Ordered, retransmitted for a limited time.</summary>
    PartialReliableTimed = 0x02,
    /// <summary>Unordered, retransmitted for a limited time.</summary>
    PartialReliableTimedUnordered = 0x82,
}
