namespace PxpActors.WebRtc.DataChannel;

/// <summary>RTCDataChannelState: a channel is open as soon as it exists on an established association.</summary>
public enum DataChannelState
{
    Open,
    Closing,
    Closed,
}
