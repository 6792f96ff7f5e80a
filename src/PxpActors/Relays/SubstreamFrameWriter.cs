using PxpActors.Diagnostics;
using PxpActors.Carriers;
using PxpActors.Multiplexing;

namespace PxpActors.Relays;

/// <summary>
/// The frame sender of a nested session, one that runs over another session's substream (a relayed session): each
/// send of frames is one write to that substream, which goes straight onto the outer socket as well when the substream sends
/// directly. An application write on the nested session then reaches the socket from the writer's own buffer,
/// wrapped in both sessions' headers, with no copy and no stage in between.
/// </summary>
internal sealed class SubstreamFrameWriter(SubstreamWriter carrier, TransportTraffic traffic) : SharedFrameWriter(traffic)
{
    protected override ValueTask SendFramesAsync(List<ArraySegment<byte>> frames, CancellationToken cancellationToken) =>
        carrier.WriteAsync(frames, cancellationToken);
}
