using System.Buffers;
using PxpActors.Buffers;

namespace PxpActors.Carriers.Pipes;

/// <summary>
/// A block of the input pipe (see <see cref="LeasedBlockPool"/>): a <see cref="ChunkLease"/>'s array as pipe memory. The pipe
/// holds it until it has been read past (<c>AdvanceTo</c>), then disposes it, letting go of its hold; a reader or relay
/// that kept a slice of it without copying holds the lease too, and the array goes back to the pool when the last one
/// lets go. This is how a pipe's segment may outlive its <c>AdvanceTo</c>, as a lent chunk outlives the next pull.
/// </summary>
internal sealed class LeasedBlock(ChunkLease lease) : MemoryManager<byte>
{
    public ChunkLease Lease { get; } = lease;

    public override Span<byte> GetSpan() => Lease.Array;

    public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException("Pipe blocks are not pinned");

    public override void Unpin()
    {
    }

    protected override bool TryGetArray(out ArraySegment<byte> segment)
    {
        segment = Lease.Array;
        return true;
    }

    /// <summary>The pipe is done with the block: its hold on the lease ends.</summary>
    protected override void Dispose(bool disposing) => Lease.Release();
}
