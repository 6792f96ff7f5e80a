using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;

namespace PxpActors.Simulation.Time;

/// <summary>
/// Virtual time for a simulation: a <see cref="TimeProvider"/> that reads and waits on Akka.TestKit's
/// <see cref="TestScheduler"/>, so the node's clock (candidate expiry, getNewPeer's deadline) and its Akka timers (request
/// and handshake timeouts, backoff, expiry ticks, stage timers) move together, only when the simulation advances them.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    /// <summary>The HOCON that makes an ActorSystem run its scheduler on <see cref="TestScheduler"/>.</summary>
    public static Config SchedulerConfig { get; } =
        ConfigurationFactory.ParseString($"akka.scheduler.implementation = \"{typeof(TestScheduler).AssemblyQualifiedName}\"");

    private readonly DateTimeOffset _start;

    /// <summary>A clock over <paramref name="system"/>'s scheduler, which must be a <see cref="TestScheduler"/> (<see cref="SchedulerConfig"/>).</summary>
    public VirtualClock(ActorSystem system)
    {
        Scheduler = system.Scheduler as TestScheduler ?? throw new ArgumentException(
            "The ActorSystem does not run on Akka.TestKit's TestScheduler: create it with VirtualClock.SchedulerConfig", nameof(system));
        _start = Scheduler.Now;
    }

    /// <summary>The scheduler this clock reads and advances.</summary>
    public TestScheduler Scheduler { get; }

    /// <summary>Virtual time passed since the clock was made.</summary>
    public TimeSpan Elapsed => Scheduler.Now - _start;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Scheduler.Now;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override long GetTimestamp() => Scheduler.Now.UtcTicks;

    /// <summary>Moves virtual time on by <paramref name="by"/> at once: everything due in between runs (or is told) now.</summary>
    public void Advance(TimeSpan by) => Scheduler.Advance(by);

    /// <summary>
    /// Moves virtual time on by <paramref name="duration"/> in steps of <paramref name="step"/> (default 1 s), giving the
    /// system <paramref name="pace"/> of real time after each step (default 1 ms) to handle what the step made due: the
    /// simulation runs <paramref name="step"/>/<paramref name="pace"/> times faster than real time. Keep the step shorter than
    /// the node's shortest timeout worth observing.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan duration, TimeSpan? step = null, TimeSpan? pace = null,
        CancellationToken cancellationToken = default)
    {
        var stride = step ?? TimeSpan.FromSeconds(1);
        if (stride <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(step), "The step must be positive");
        var pause = pace ?? TimeSpan.FromMilliseconds(1);
        for (var left = duration; left > TimeSpan.Zero; left -= stride)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Scheduler.Advance(left < stride ? left : stride);
            // Pacing, not synchronisation: what the step made due runs on the system's threads meanwhile.
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new VirtualTimer(this, callback, state, dueTime, period);

    /// <summary>A timer on the test scheduler: each firing schedules the next, so advancing past several periods fires each.</summary>
    private sealed class VirtualTimer : ITimer
    {
        private readonly VirtualClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly object _gate = new();
        private Cancelable? _pending;
        private TimeSpan _period;
        private bool _disposed;

        public VirtualTimer(VirtualClock clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed) return false;
                _pending?.Cancel();
                _pending = null;
                _period = period;
                if (dueTime != Timeout.InfiniteTimeSpan) Arm(dueTime);
                return true;
            }
        }

        private void Arm(TimeSpan due)
        {
            var pending = new Cancelable((IScheduler)_clock.Scheduler);
            _pending = pending;
            _clock.Scheduler.Advanced.ScheduleOnce(due < TimeSpan.Zero ? TimeSpan.Zero : due, () => Fire(pending), pending);
        }

        private void Fire(Cancelable fired)
        {
            lock (_gate)
            {
                if (_disposed || !ReferenceEquals(fired, _pending)) return;
                _pending = null;
                if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero) Arm(_period);
            }
            // Off the advancing thread, as a real timer's callback would run.
            ThreadPool.UnsafeQueueUserWorkItem(s => _callback(s), _state, preferLocal: false);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _pending?.Cancel();
                _pending = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
