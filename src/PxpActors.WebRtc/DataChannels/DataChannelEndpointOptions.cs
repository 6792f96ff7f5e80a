namespace PxpActors.WebRtc.DataChannels;

/// <summary>Bounds of a <see cref="DataChannelEndpoint"/>.</summary>
public sealed record DataChannelEndpointOptions
{
    /// <summary>Channels the peer opened that the application has not accepted yet; beyond this they are refused.</summary>
    public int MaxPendingIncomingChannels { get; init; } = 64;

    /// <summary>Received messages held per channel before reading from SCTP pauses (which closes the peer's window).</summary>
    public int ReceiveQueueCapacity { get; init; } = 64;
}
