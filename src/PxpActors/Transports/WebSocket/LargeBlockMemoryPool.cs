using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace PxpActors.Transports.WebSocket;

/// <summary>
/// The memory Kestrel receives into on our WebSocket listener: blocks of 64 KiB from the shared array pool instead of
/// Kestrel's own 4 KiB blocks. Kestrel's socket transport receives into one pool block at a time, and with inline
/// scheduling the WebSocket reads after every receive: with 4 KiB blocks a stream of large messages costs a receive,
/// a pipe flush and a WebSocket read per 4 KiB (that halved the listener's receiving rate). An idle connection still
/// holds no block: Kestrel waits for data before it takes one.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>Bytes in a block: a receive takes up to this much at once.</summary>
    internal const int BlockSize = 64 * 1024;

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new Block(ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, minBufferSize)));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Blocks go back to the shared array pool one by one: the pool itself holds nothing.
    }

    /// <summary>Gives Kestrel this pool (registered as its <see cref="IMemoryPoolFactory{T}"/>).</summary>
    internal sealed class Factory : IMemoryPoolFactory<byte>
    {
        /// <inheritdoc />
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
    }

    /// <summary>One rented block; disposing it returns the array to the shared pool, once.</summary>
    private sealed class Block(byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } returned) ArrayPool<byte>.Shared.Return(returned);
        }
    }
}
