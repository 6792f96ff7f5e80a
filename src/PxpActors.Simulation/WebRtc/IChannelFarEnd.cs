using PxpActors.WebRtc.DataChannels;

namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// The other end of a simulated data channel as one end sees it: where its messages go and whom its close or cut reaches
/// (the other end itself in memory, or the frames of a cross-system link).
/// </summary>
internal interface IChannelFarEnd
{
    /// <summary>Hands one message over; waits while the other end's inbox is full. Throws once the other end is gone.</summary>
    ValueTask DeliverAsync(DataChannelMessage message, CancellationToken cancellationToken);

    /// <summary>Ends the other end: orderly (null: its reader sees the end after what arrived) or failed with <paramref name="error"/>.</summary>
    void End(IOException? error);
}
