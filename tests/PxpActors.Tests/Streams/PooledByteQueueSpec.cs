using PxpActors.Streams;

namespace PxpActors.Tests.Streams;

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
        var written = new List<byte>();
        var read = new List<byte>();
        var buffer = new byte[200_000];

        for (var round = 0; round < 300; round++)
        {
            var chunk = new byte[random.Next(0, 150_000)];
            random.NextBytes(chunk);
            queue.Append(chunk);
            written.AddRange(chunk);
            var n = queue.ReadInto(buffer.AsSpan(0, random.Next(1, buffer.Length)));
            read.AddRange(buffer.AsSpan(0, n).ToArray());
            Assert.Equal(written.Count - read.Count, queue.Count);
        }
        int last;
        while ((last = queue.ReadInto(buffer)) > 0) read.AddRange(buffer.AsSpan(0, last).ToArray());

        Assert.Equal(written, read);
        Assert.Equal(0, queue.Count);
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
