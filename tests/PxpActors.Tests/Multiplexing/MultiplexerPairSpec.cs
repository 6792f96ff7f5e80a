using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.TestSupport.Streams;
using Xunit.Abstractions;
using PxpActors.Multiplexing;
using PxpActors.Tests.Streams;

namespace PxpActors.Tests.Multiplexing;

/// <summary>Two multiplexers talking to each other through transports that cut the bytes at random places.</summary>
public sealed class MultiplexerPairSpec(ITestOutputHelper output) : StreamSpec(output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public Task Two_multiplexers_must_carry_several_substreams_both_ways_over_rechunked_transports(int seed) =>
        StagesStopAfter(async () =>
        {
            var settings = new MultiplexerSettings(SubstreamBufferBytes: 64, MaxSendFramePayload: 50);
            var (left, right) = Flow.FromGraph(new MultiplexerStage(settings)).Via(Rechunker.Create(seed, 7))
                .JoinMaterialized(Flow.FromGraph(new MultiplexerStage(settings)).Via(Rechunker.Create(seed + 100, 13)), (l, r) => (l, r))
                .Run(Materializer);
            var random = new Random(seed);
            var names = new[] { "pxp", "data:test", "relay:1" };

            var transfers = new List<Task>();
            foreach (var name in names)
            {
                var l = await left.OpenAsync(name);
                var r = await right.OpenAsync(name);
                transfers.Add(Transfer(l, r, RandomWrites(random)));
                transfers.Add(Transfer(r, l, RandomWrites(random)));
            }
            await Task.WhenAll(transfers).WaitAsync(TimeSpan.FromSeconds(10));

            left.Close();
            await left.Completion.WaitAsync(TimeSpan.FromSeconds(3));
            // Closing cancels left's reading side at once, which reaches right as "transport stopped
            // accepting data" or as the end of its input, whichever arrives first: both stop it.
            var rightEnd = await Record.ExceptionAsync(() => right.Completion.WaitAsync(TimeSpan.FromSeconds(3)));
            Assert.True(rightEnd is null or MultiplexerClosedException, rightEnd?.ToString());
        });

    private static byte[][] RandomWrites(Random random) =>
        Enumerable.Range(0, random.Next(1, 40)).Select(_ =>
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            return bytes;
        }).ToArray();

    /// <summary>Writes on <paramref name="from"/>, ends it, and checks <paramref name="to"/> reads the same bytes then ends.</summary>
    private async Task Transfer(Substream from, Substream to, byte[][] writes)
    {
        var received = to.Incoming.RunAggregate(new List<byte>(), (all, chunk) =>
        {
            all.AddRange(chunk.ToArray());
            return all;
        }, Materializer);
        Source.From(writes.Select(ByteString.FromBytes)).RunWith(from.Outgoing, Materializer);

        Assert.Equal(writes.SelectMany(w => w), await received);
    }
}
