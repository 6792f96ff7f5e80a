using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;

namespace PxpActors.Transports.WebSocket;

/// <summary>
/// The memory Kestrel receives into on our WebSocket listener: blocks of 64 KiB from the shared array pool instead of
/// Kestrel's own 4 KiB blocks. Kestrel's socket transport receives into one pool block at a time, and with inline
/// scheduling the WebSocket reads after every receive: with 4 KiB blocks a stream of large messages costs a receive,
/// a pipe flush and a WebSocket read per 4 KiB (that halved the listener's receiving rate). An idle connection still
/// holds no block: Kestrel waits for data before it takes one. The large blocks out at once are bounded per listener
/// (16 MiB by default); past that Kestrel gets 4 KiB blocks, so a crowd of connections that send a few bytes and
/// stall costs what it did with Kestrel's own pool.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>Bytes in a block: a receive takes up to this much at once.</summary>
    internal const int BlockSize = 64 * 1024;

    /// <summary>Bytes in a block once the large ones are all out (Kestrel's own size).</summary>
    internal const int SmallBlockSize = 4 * 1024;

    /// <summary>Large blocks a listener lends at once by default: 16 MiB.</summary>
    internal const int DefaultMaxLargeBlocks = 256;

    private readonly StrongBox<int> _largeBlocksOut;
    private readonly int _maxLargeBlocks;

    /// <param name="largeBlocksOut">The count of large blocks out, shared by the pools of one listener.</param>
    /// <param name="maxLargeBlocks">The most large blocks out at once.</param>
    internal LargeBlockMemoryPool(StrongBox<int> largeBlocksOut, int maxLargeBlocks = DefaultMaxLargeBlocks)
    {
        _largeBlocksOut = largeBlocksOut;
        _maxLargeBlocks = maxLargeBlocks;
    }

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize) return new Block(ArrayPool<byte>.Shared.Rent(minBufferSize), null);
        if (Interlocked.Increment(ref _largeBlocksOut.Value) <= _maxLargeBlocks)
            return new Block(ArrayPool<byte>.Shared.Rent(BlockSize), _largeBlocksOut);
        Interlocked.Decrement(ref _largeBlocksOut.Value);
        return new Block(ArrayPool<byte>.Shared.Rent(Math.Max(SmallBlockSize, minBufferSize)), null);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Blocks go back to the shared array pool one by one: the pool itself holds nothing.
    }

    /// <summary>Gives a listener's Kestrel its pools (registered as its <see cref="IMemoryPoolFactory{T}"/>), one bound for all.</summary>
    internal sealed class Factory : IMemoryPoolFactory<byte>
    {
        private readonly StrongBox<int> _largeBlocksOut = new(0);

        /// <inheritdoc />
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(_largeBlocksOut);
    }

    /// <summary>One rented block; disposing it returns the array to the shared pool (and a large one to the count), once.</summary>
    private sealed class Block(byte[] array, StrongBox<int>? largeBlocksOut) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is not { } returned) return;
            ArrayPool<byte>.Shared.Return(returned);
            if (largeBlocksOut is not null) Interlocked.Decrement(ref largeBlocksOut.Value);
        }
    }
}
