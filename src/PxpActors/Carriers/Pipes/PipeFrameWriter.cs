using System.Buffers;
using System.IO.Pipelines;
using PxpActors.Diagnostics;

namespace PxpActors.Carriers.Pipes;

/// <summary>
/// A session's frame sender onto its socket's <see cref="SocketDuplexPipe"/> (see <see cref="SharedFrameWriter"/>),
/// shared by its <see cref="PipeCarrierStage"/> and by writers that send their frames themselves: the frames are copied
/// into the pipe's segments and flushed; the pipe's send loop puts them on the socket. A flush waits only while the pipe
/// holds more than its pause threshold (a peer that does not read).
/// </summary>
internal sealed class PipeFrameWriter(PipeWriter output, TransportTraffic traffic) : SharedFrameWriter(traffic)
{
    protected override async ValueTask SendFramesAsync(List<ArraySegment<byte>> frames, CancellationToken cancellationToken)
    {
        foreach (var frame in frames) output.Write((ReadOnlySpan<byte>)frame);
        var flush = output.FlushAsync(cancellationToken);
        var flushed = flush.IsCompletedSuccessfully ? flush.Result : await flush.ConfigureAwait(false);
        if (flushed.IsCanceled || flushed.IsCompleted) throw new IOException("The PXP session's connection is closed");
    }
}
