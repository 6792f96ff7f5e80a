using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Relays;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Relays;

/// <summary>The hub's relay rate on virtual time: its tokens and its waits both on the node's clock, so no test waits for real.</summary>
public sealed class RelayRateLimitSpec : IAsyncLifetime
{
    private readonly SchedulerClock _clock = SchedulerClock.Create("relay-rate");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _clock.ActorSystem.Terminate();

    [Fact]
    public async Task RelayRateLimit_must_hold_the_byte_rate_to_its_limit_in_virtual_time()
    {
        const int rate = 20_000;
        const int burst = rate / 10;
        const int total = 12_000;
        var input = Enumerable.Range(0, 6).Select(i => ByteString.FromBytes(Enumerable.Repeat((byte)i, 2_000).ToArray()));
        var passed = 0;
        var largest = 0;

        var done = Source.From(input).Via(RelayRateLimit.Create(rate, toCandidate: true, _clock))
            .RunWith(Sink.ForEach<ByteString>(piece =>
            {
                largest = Math.Max(largest, piece.Count);
                Interlocked.Add(ref passed, piece.Count);
            }), _clock.ActorSystem.Materializer());
        await _clock.AdvanceUntilAsync(() =>
        {
            var sofar = Volatile.Read(ref passed);
            var allowed = burst + rate * _clock.Elapsed.TotalSeconds;
            Assert.True(sofar <= allowed, $"{sofar} bytes passed after {_clock.Elapsed} of virtual time, at most {allowed} allowed");
            return done.IsCompleted;
        }, step: TimeSpan.FromMilliseconds(10), TestNode.Timeout);
        await done;

        Assert.Equal(total, passed);
        Assert.InRange(largest, 1, burst); // shaped in tenths of a second
        var floor = TimeSpan.FromSeconds((double)(total - burst) / rate);
        Assert.True(_clock.Elapsed >= floor, $"{total} bytes at {rate} B/s took {_clock.Elapsed} of virtual time, at least {floor} expected");
    }

    [Fact]
    public async Task RelayRateLimit_must_keep_bytes_and_their_order()
    {
        var random = new Random(7);
        var input = Enumerable.Range(0, 20).Select(_ =>
        {
            var bytes = new byte[random.Next(1, 3_000)];
            random.NextBytes(bytes);
            return bytes;
        }).ToList();

        var chunks = Source.From(input.Select(ByteString.FromBytes))
            .Via(RelayRateLimit.Create(100_000, toCandidate: false, _clock))
            .RunWith(Sink.Seq<ByteString>(), _clock.ActorSystem.Materializer());
        await _clock.AdvanceUntilAsync(() => chunks.IsCompleted, step: TimeSpan.FromMilliseconds(10), TestNode.Timeout);

        Assert.Equal(input.SelectMany(b => b), (await chunks).SelectMany(c => c.ToArray()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task RelayRateLimit_must_pass_everything_at_once_when_off(int rate)
    {
        var big = ByteString.FromBytes(new byte[1_000_000]);

        // No virtual time passes: off, nothing waits.
        var chunks = await Source.Single(big).Via(RelayRateLimit.Create(rate, toCandidate: true, _clock))
            .RunWith(Sink.Seq<ByteString>(), _clock.ActorSystem.Materializer()).WaitAsync(TestNode.Timeout);

        Assert.Same(big, Assert.Single(chunks));
        Assert.Equal(TimeSpan.Zero, _clock.Elapsed);
    }
}
