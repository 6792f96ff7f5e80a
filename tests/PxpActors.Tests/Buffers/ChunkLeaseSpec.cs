using PxpActors.Buffers;

namespace PxpActors.Tests.Buffers;

public sealed class ChunkLeaseSpec
{
    [Fact]
    public void Lease_must_go_back_to_the_pool_only_when_its_last_holder_lets_go()
    {
        var lease = ChunkLease.Rent(1000);
        lease.Retain();

        lease.Release();
        Assert.False(lease.IsReturned);
        Assert.NotNull(lease.Array);

        lease.Release();
        Assert.True(lease.IsReturned);
        Assert.Throws<ObjectDisposedException>(() => lease.Array);
    }

    [Fact]
    public void Lease_must_refuse_a_release_by_no_holder()
    {
        var lease = ChunkLease.Rent(16);
        lease.Release();

        var error = Assert.Throws<InvalidOperationException>(lease.Release);
        Assert.Contains("released more often than it was held", error.Message);
    }

    [Fact]
    public void Leased_copy_must_hold_the_bytes_in_a_rented_array_from_its_start()
    {
        var chunk = ChunkLease.CopyOf("leased bytes"u8, out var lease);

        Assert.Equal("leased bytes", chunk.ToString());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(ByteStringSegments.AsMemory(chunk), out var segment));
        Assert.Same(lease.Array, segment.Array);
        Assert.Equal(0, segment.Offset);
        lease.Release();
        Assert.True(lease.IsReturned);
    }

    [Theory]
    [InlineData(16 * 1024, true)]
    [InlineData(16 * 1024 - 1, false)]
    [InlineData(64 * 1024, true)]
    public void Lease_must_be_worth_sharing_for_a_quarter_of_its_array_or_more(int length, bool worthIt)
    {
        var lease = ChunkLease.Rent(64 * 1024);
        Assert.Equal(64 * 1024, lease.Array.Length);

        Assert.Equal(worthIt, lease.IsWorthSharing(length));
        lease.Release();
    }
}
