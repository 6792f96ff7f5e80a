using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Relays;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Relays;

/// <summary>
/// The relay throttle on virtual time: its tokens are read on the given clock and its waits are the scheduler's, so a
/// <see cref="SchedulerClock"/> drives both and no test waits for the rate in real time.
/// </summary>
public sealed class RelayThrottleSpec : IAsyncLifetime
{
    private readonly SchedulerClock _clock = SchedulerClock.Create("relay-throttle");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _clock.ActorSystem.Terminate();

    private IMaterializer Materializer => _clock.ActorSystem.Materializer();

    [Fact]
    public async Task RelayThrottle_must_hold_the_byte_rate_to_its_limit_in_virtual_time()
    {
        const int rate = 20_000;
        const int burst = rate / 10;
        const int total = 12_000;
        var input = Enumerable.Range(0, 6).Select(i => ByteString.FromBytes(Enumerable.Repeat((byte)i, 2_000).ToArray()));
        var passed = 0;
        var largest = 0;

        var done = Source.From(input).Via(RelayThrottle.Create(rate, _clock))
            .RunWith(Sink.ForEach<ByteString>(piece =>
            {
                largest = Math.Max(largest, piece.Count);
                Interlocked.Add(ref passed, piece.Count);
            }), Materializer);
        await _clock.AdvanceUntilAsync(() =>
        {
            // Read after the clock: by then no more than a burst and the rate's worth of the time passed can have gone through.
            var sofar = Volatile.Read(ref passed);
            var allowed = burst + rate * _clock.Elapsed.TotalSeconds;
            Assert.True(sofar <= allowed, $"{sofar} bytes passed after {_clock.Elapsed} of virtual time, at most {allowed} allowed");
            return done.IsCompleted;
        }, step: TimeSpan.FromMilliseconds(10), TestNode.Timeout);
        await done;

        Assert.Equal(total, passed);
        Assert.InRange(largest, 1, burst); // shaped in tenths of a second
        // One burst may pass at once; every further byte costs 1 / rate seconds.
        var floor = TimeSpan.FromSeconds((double)(total - burst) / rate);
        Assert.True(_clock.Elapsed >= floor, $"{total} bytes at {rate} B/s took {_clock.Elapsed} of virtual time, at least {floor} expected");
    }

    [Fact]
    public async Task RelayThrottle_must_pass_small_chunks_at_once_while_its_tokens_last()
    {
        // A relayed session's handshake and signaling: small messages, well within the first burst.
        var small = Enumerable.Range(0, 10).Select(i => ByteString.FromString($"signal {i}")).ToList();

        // No virtual time passes, so nothing that waited for tokens could complete.
        var chunks = await Source.From(small).Via(RelayThrottle.Create(50_000, _clock))
            .RunWith(Sink.Seq<ByteString>(), Materializer).WaitAsync(TestNode.Timeout);

        Assert.Equal(small, chunks);
        Assert.Equal(TimeSpan.Zero, _clock.Elapsed);
    }

    [Fact]
    public async Task RelayThrottle_must_keep_bytes_and_their_order()
    {
        var random = new Random(7);
        var input = Enumerable.Range(0, 20).Select(_ =>
        {
            var bytes = new byte[random.Next(1, 3_000)];
            random.NextBytes(bytes);
            return bytes;
        }).ToList();

        var chunks = Source.From(input.Select(ByteString.FromBytes))
            .Via(RelayThrottle.Create(100_000, _clock))
            .RunWith(Sink.Seq<ByteString>(), Materializer);
        await _clock.AdvanceUntilAsync(() => chunks.IsCompleted, step: TimeSpan.FromMilliseconds(10), TestNode.Timeout);

        Assert.Equal(input.SelectMany(b => b), (await chunks).SelectMany(c => c.ToArray()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task RelayThrottle_must_pass_everything_through_unchanged_when_off(int rate)
    {
        var big = ByteString.FromBytes(new byte[1_000_000]);

        // No virtual time passes: off, nothing waits.
        var chunks = await Source.Single(big).Via(RelayThrottle.Create(rate, _clock))
            .RunWith(Sink.Seq<ByteString>(), Materializer).WaitAsync(TestNode.Timeout);

        Assert.Same(big, Assert.Single(chunks));
        Assert.Equal(TimeSpan.Zero, _clock.Elapsed);
    }
}
