using System.Diagnostics;
using Akka.IO;
using Akka.Streams.Dsl;
using Xunit.Abstractions;
using PxpActors.Relays;
using PxpActors.Tests.Streams;

namespace PxpActors.Tests.Relays;

/// <summary>
/// Akka's Throttle measures its token bucket on the wall clock (not the scheduler), so virtual time
/// cannot drive it: these tests assert only lower bounds on elapsed time, never upper ones.
/// </summary>
public sealed class RelayThrottleSpec(ITestOutputHelper output) : StreamSpec(output)
{
    [Fact]
    public Task RelayThrottle_must_hold_the_byte_rate_to_its_limit() => StagesStopAfter(async () =>
    {
        const int rate = 20_000;
        const int total = 12_000;
        var input = Enumerable.Range(0, 6).Select(i => ByteString.FromBytes(Enumerable.Repeat((byte)i, 2_000).ToArray()));

        var clock = Stopwatch.StartNew();
        var chunks = await Source.From(input).Via(RelayThrottle.Create(rate)).RunWith(Sink.Seq<ByteString>(), Materializer);
        clock.Stop();

        Assert.Equal(total, chunks.Sum(c => c.Count));
        // Shaped in tenths of a second: no piece is larger than the burst.
        Assert.All(chunks, c => Assert.InRange(c.Count, 1, rate / 10));
        // One burst (rate / 10 bytes) may pass at once; every further byte costs 1 / rate seconds.
        var floor = TimeSpan.FromSeconds((double)(total - rate / 10) / rate);
        Assert.True(clock.Elapsed >= floor * 0.95, $"{total} bytes at {rate} B/s took {clock.Elapsed}, at least {floor} expected");
    });

    [Fact]
    public Task RelayThrottle_must_keep_bytes_and_their_order() => StagesStopAfter(async () =>
    {
        var random = new Random(7);
        var input = Enumerable.Range(0, 20).Select(_ =>
        {
            var bytes = new byte[random.Next(1, 3_000)];
            random.NextBytes(bytes);
            return bytes;
        }).ToList();

        var chunks = await Source.From(input.Select(ByteString.FromBytes))
            .Via(RelayThrottle.Create(1_000_000))
            .RunWith(Sink.Seq<ByteString>(), Materializer);

        Assert.Equal(input.SelectMany(b => b), chunks.SelectMany(c => c.ToArray()));
    });

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public Task RelayThrottle_must_pass_everything_through_unchanged_when_off(int rate) => StagesStopAfter(async () =>
    {
        var big = ByteString.FromBytes(new byte[1_000_000]);

        var chunks = await Source.Single(big).Via(RelayThrottle.Create(rate)).RunWith(Sink.Seq<ByteString>(), Materializer);

        Assert.Same(big, Assert.Single(chunks));
    });
}
