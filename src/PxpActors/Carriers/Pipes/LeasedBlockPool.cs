using System.Buffers;
using PxpActors.Buffers;

namespace PxpActors.Carriers.Pipes;

/// <summary>
/// The input pipe's memory: each block a <see cref="LeasedBlock"/> over a <see cref="ChunkLease"/> rented from the shared
/// array pool, so that the multiplexer can keep a slice of what was read past the pipe's <c>AdvanceTo</c>, as it keeps
/// slices of the stream carrier's lent chunks (see <see cref="PipeSegmentChunks"/>). Stateless: one for every pipe.
/// </summary>
internal sealed class LeasedBlockPool : MemoryPool<byte>
{
    public static readonly LeasedBlockPool Instance = new();

    private LeasedBlockPool()
    {
    }

    public override int MaxBufferSize => 1024 * 1024;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1) =>
        new LeasedBlock(ChunkLease.Rent(minBufferSize < 0 ? 4096 : minBufferSize));

    protected override void Dispose(bool disposing)
    {
    }
}
