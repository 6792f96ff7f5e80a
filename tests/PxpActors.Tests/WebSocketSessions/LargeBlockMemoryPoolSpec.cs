using System.Buffers;
using System.Runtime.CompilerServices;
using PxpActors.Transports.WebSocket;

namespace PxpActors.Tests.WebSocketSessions;

/// <summary>
/// The blocks our WebSocket listener's Kestrel receives into: at least a block's worth whatever it asks for (a receive
/// takes that much at once), more when it asks for more, and each goes back to the shared array pool once, however
/// often it is disposed (twice would hand one array to two renters). Past its bound of large blocks out, small ones.
/// </summary>
public sealed class LargeBlockMemoryPoolSpec
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(4096)]
    public void A_small_or_unsized_request_must_get_a_whole_block(int asked)
    {
        using var pool = new LargeBlockMemoryPool.Factory().Create();
        using var block = pool.Rent(asked);

        Assert.True(block.Memory.Length >= LargeBlockMemoryPool.BlockSize);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
    }

    [Fact]
    public void A_request_past_a_block_must_get_all_it_asks_for()
    {
        using var pool = new LargeBlockMemoryPool(new StrongBox<int>(0));
        using var block = pool.Rent(LargeBlockMemoryPool.BlockSize + 1);

        Assert.True(block.Memory.Length > LargeBlockMemoryPool.BlockSize);
    }

    [Fact]
    public void A_block_disposed_twice_must_go_back_to_the_array_pool_once()
    {
        using var pool = new LargeBlockMemoryPool(new StrongBox<int>(0));
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        var first = ArrayPool<byte>.Shared.Rent(LargeBlockMemoryPool.BlockSize);
        var second = ArrayPool<byte>.Shared.Rent(LargeBlockMemoryPool.BlockSize);
        try
        {
            Assert.NotSame(first, second);
            Assert.Throws<ObjectDisposedException>(() => block.Memory);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(first);
            ArrayPool<byte>.Shared.Return(second);
        }
    }

    [Fact]
    public void Past_its_bound_of_large_blocks_out_it_must_lend_small_ones_until_a_large_one_comes_back()
    {
        var largeBlocksOut = new StrongBox<int>(0);
        using var pool = new LargeBlockMemoryPool(largeBlocksOut, maxLargeBlocks: 2);
        var first = pool.Rent();
        using var second = pool.Rent();
        using var third = pool.Rent(1);

        Assert.True(second.Memory.Length >= LargeBlockMemoryPool.BlockSize);
        Assert.InRange(third.Memory.Length, LargeBlockMemoryPool.SmallBlockSize, LargeBlockMemoryPool.BlockSize - 1);
        Assert.Equal(2, largeBlocksOut.Value);

        first.Dispose();
        first.Dispose();
        using var fourth = pool.Rent();

        Assert.True(fourth.Memory.Length >= LargeBlockMemoryPool.BlockSize);
        Assert.Equal(2, largeBlocksOut.Value);
    }
}
