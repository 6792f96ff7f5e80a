using System.Runtime.InteropServices;
using Akka.IO;
using PxpActors.Buffers;

namespace PxpActors.Carriers.Pipes;

/// <summary>
/// The chunks a <see cref="PipeCarrierStage"/> pushes are the input pipe's own segments, read past (<c>AdvanceTo</c>) once
/// the stage is pulled again. Each lies in a <see cref="LeasedBlock"/>, whose lease a reader or relay may hold to keep a
/// slice without copying, as with the stream carrier's lent chunks (<see cref="ChunkLender"/>); anything else kept is
/// copied. One per materialization, used on the stage's thread.
/// </summary>
internal sealed class PipeSegmentChunks : ReceivedChunks
{
    private ChunkLease? _current;

    /// <summary>The segment <paramref name="segment"/> is pushed: slices of it may be held under its block's lease.</summary>
    public void Pushing(ReadOnlyMemory<byte> segment) =>
        _current = MemoryMarshal.TryGetMemoryManager(segment, out LeasedBlock? block) ? block.Lease : null;

    public override void Arrived(int length)
    {
    }

    /// <summary>A copy: the segment goes back to the pipe.</summary>
    public override ByteString Keep(ReadOnlyMemory<byte> payload) => ByteString.FromBytes(payload.ToArray());

    /// <summary>The lease of the segment pushed last.</summary>
    public override ChunkLease? Lease => _current;
}
