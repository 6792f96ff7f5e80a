namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// What a connected <see cref="SimulatedPeerConnection"/> opens its data channels through, to the connection at the other
/// side: that connection itself when both are in this process (<see cref="MemoryChannelCarrier"/>), or a cross-system link
/// (<see cref="LinkChannelCarrier"/>).
/// </summary>
internal interface IChannelCarrier
{
    /// <summary>The node at the other side (by name).</summary>
    string RemoteNode { get; }

    /// <summary>Opens a channel: returns this side's end; the other side's connection receives its own end.</summary>
    Task<SimulatedDataChannel> OpenAsync(ushort id, string label);

    /// <summary>This side's connection closed (its channels are closed already).</summary>
    void Close();
}
