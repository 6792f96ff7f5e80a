using PxpActors.Buffers;

namespace PxpActors.Tests.Buffers;

public sealed class PooledByteQueueSpec
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Bytes_must_come_out_in_order_whatever_the_sizes_of_appends_and_reads(int seed)
    {
        var random = new Random(seed);
        var queue = new PooledByteQueue();

        var (written, read) = AppendAndReadOut(queue, random, readBufferSize: 200_000, written =>
        {
            var chunk = new byte[random.Next(0, 150_000)];
            random.NextBytes(chunk);
            queue.Append(chunk);
            written.AddRange(chunk);
        });

        Assert.Equal(written, read);
        Assert.Equal(0, queue.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Leased_slices_must_come_out_in_order_between_copied_bytes_and_be_let_go_of_once_read(int seed)
    {
        var random = new Random(seed);
        var queue = new PooledByteQueue();
        var leases = new List<ChunkLease>();

        var (written, read) = AppendAndReadOut(queue, random, readBufferSize: 100_000, written =>
        {
            if (random.Next(2) == 0)
            {
                // A chunk as a transport leases it: the queue holds a slice, the transport lets go of its own hold at once.
                var lease = ChunkLease.Rent(random.Next(1, 64 * 1024));
                random.NextBytes(lease.Array);
                var start = random.Next(0, lease.Array.Length / 4);
                var slice = new ArraySegment<byte>(lease.Array, start, random.Next(0, lease.Array.Length - start));
                queue.Append(slice, lease);
                written.AddRange(slice);
                lease.Release();
                leases.Add(lease);
            }
            else
            {
                var small = new byte[random.Next(0, 3_000)];
                random.NextBytes(small);
                queue.Append(small);
                written.AddRange(small);
            }
        });

        Assert.Equal(written, read);
        Assert.All(leases, lease => Assert.True(lease.IsReturned));
    }

    /// <summary>
    /// 300 rounds of one append (which adds what it appended to the list it is given) and a read of a random size, the
    /// count checked after each; then the rest read out.
    /// </summary>
    private static (List<byte> Written, List<byte> Read) AppendAndReadOut(PooledByteQueue queue, Random random,
        int readBufferSize, Action<List<byte>> appendOne)
    {
        var written = new List<byte>();
        var read = new List<byte>();
        var buffer = new byte[readBufferSize];
        for (var round = 0; round < 300; round++)
        {
            appendOne(written);
            var n = queue.ReadInto(buffer.AsSpan(0, random.Next(1, buffer.Length)));
            read.AddRange(buffer.AsSpan(0, n).ToArray());
            Assert.Equal(written.Count - read.Count, queue.Count);
        }
        int last;
        while ((last = queue.ReadInto(buffer)) > 0) read.AddRange(buffer.AsSpan(0, last).ToArray());
        return (written, read);
    }

    [Fact]
    public void Clear_must_let_go_of_the_leased_slices_it_holds()
    {
        var queue = new PooledByteQueue();
        var lease = ChunkLease.Rent(1024);
        queue.Append(new ArraySegment<byte>(lease.Array, 10, 500), lease);
        queue.Append([1, 2, 3]);

        queue.Clear();
        Assert.False(lease.IsReturned); // the transport's own hold remains
        lease.Release();
        Assert.True(lease.IsReturned);
    }

    [Fact]
    public void A_read_into_an_empty_destination_or_from_an_empty_queue_must_move_nothing()
    {
        var queue = new PooledByteQueue();
        Assert.Equal(0, queue.ReadInto(new byte[10]));
        queue.Append([1, 2, 3]);
        Assert.Equal(0, queue.ReadInto(Span<byte>.Empty));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public void Clear_must_drop_everything()
    {
        var queue = new PooledByteQueue();
        queue.Append(new byte[100_000]);
        queue.Clear();
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.ReadInto(new byte[10]));
        queue.Append([9]);
        var one = new byte[1];
        Assert.Equal(1, queue.ReadInto(one));
        Assert.Equal(9, one[0]);
    }
}
