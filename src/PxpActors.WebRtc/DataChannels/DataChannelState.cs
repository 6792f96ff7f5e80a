namespace PxpActors.WebRtc.DataChannels;

/// <summary>RTCDataChannelState: a channel is open as soon as it exists on an established association.</summary>
public enum DataChannelState
{
    /// <summary>Messages can be sent and received.</summary>
    Open,
    /// <summary>Our or the peer's stream reset is under way: no more sends.</summary>
    Closing,
    /// <summary>Both directions are reset: the stream id may be reused.</summary>
    Closed,
}
