using Akka.IO;
using PxpActors.Buffers;

namespace PxpActors.Carriers.Pipes;

/// <summary>
/// The chunks a <see cref="PipeCarrierStage"/> pushes are the input pipe's own segments, given back to the pipe
/// (<c>AdvanceTo</c>) once the stage is pulled again: what the multiplexer keeps is copied, and there is no lease a
/// relay could hold a slice under (a pipe's segment cannot outlive its <c>AdvanceTo</c>), so a relay copies too.
/// </summary>
internal sealed class PipeSegmentChunks : ReceivedChunks
{
    public override void Arrived(int length)
    {
    }

    /// <summary>A copy: the segment goes back to the pipe.</summary>
    public override ByteString Keep(ReadOnlyMemory<byte> payload) => ByteString.FromBytes(payload.ToArray());

    /// <summary>None: see the class.</summary>
    public override ChunkLease? Lease => null;
}
