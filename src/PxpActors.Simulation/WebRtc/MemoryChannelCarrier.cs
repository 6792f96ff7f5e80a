namespace PxpActors.Simulation.WebRtc;

/// <summary>Channels between two connections of one process: each channel is a pair of ends that hand messages to each other.</summary>
internal sealed class MemoryChannelCarrier(SimulatedWebRtc network, SimulatedPeerConnection local, SimulatedPeerConnection remote)
    : IChannelCarrier
{
    public string RemoteNode => remote.Node;

    public Task<SimulatedDataChannel> OpenAsync(ushort id, string label)
    {
        var (localEnd, remoteEnd) = SimulatedDataChannel.Pair(id, label, local.OnChannelClosed, remote.OnChannelClosed);
        // One end is tracked for both: a cut of either cuts the pair.
        network.Track(localEnd, local.Node, remote.Node);
        remote.Deliver(remoteEnd);
        return Task.FromResult(localEnd);
    }

    // The other connection lives on until its owner closes it, as a real peer's does.
    public void Close()
    {
    }
}
