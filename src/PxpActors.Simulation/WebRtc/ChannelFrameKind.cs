namespace PxpActors.Simulation.WebRtc;

/// <summary>What a <see cref="ChannelFrame"/> on a cross-system link says about its data channel.</summary>
internal enum ChannelFrameKind : byte
{
    /// <summary>The sender opened the channel; the payload is its label (UTF-8).</summary>
    Open = 1,

    /// <summary>One binary message.</summary>
    Binary = 2,

    /// <summary>One text message (UTF-8).</summary>
    Text = 3,

    /// <summary>The sender closed the channel (after its last message).</summary>
    Close = 4,

    /// <summary>The channel failed at the sender (a cut); the payload is the reason (UTF-8).</summary>
    Abort = 5,
}
