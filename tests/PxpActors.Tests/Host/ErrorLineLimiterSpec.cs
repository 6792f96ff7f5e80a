using PxpActors.Host.Output;

namespace PxpActors.Tests.Host;

/// <summary>The human host's error lines under a flood: a few a window, the rest counted and said once.</summary>
public sealed class ErrorLineLimiterSpec
{
    [Fact]
    public void Limiter_must_print_a_few_errors_a_window_and_count_the_rest()
    {
        var clock = new ManualClock();
        var limiter = new ErrorLineLimiter(clock);

        var taken = Enumerable.Range(0, 1000).Select(_ => limiter.Take()).ToList();
        Assert.Equal(ErrorLineLimiter.PerWindow, taken.Count(t => t.Print));
        Assert.All(taken, t => Assert.Equal(0, t.SuppressedBefore));
        Assert.Equal(0, limiter.TakeSuppressed()); // the window is still open

        clock.Advance(ErrorLineLimiter.Window);
        Assert.Equal(1000 - ErrorLineLimiter.PerWindow, limiter.TakeSuppressed());
        Assert.Equal((true, 0L), limiter.Take()); // a fresh window prints again, with nothing held back
    }

    [Fact]
    public void The_first_error_of_a_new_window_must_carry_the_count_held_back_before_it()
    {
        var clock = new ManualClock();
        var limiter = new ErrorLineLimiter(clock);
        for (var i = 0; i < ErrorLineLimiter.PerWindow + 7; i++) limiter.Take();

        clock.Advance(ErrorLineLimiter.Window);
        Assert.Equal((true, 7L), limiter.Take());
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
