using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;

namespace PxpActors.Tests.Support;

/// <summary>
/// A node's clock in virtual time: a <see cref="TimeProvider"/> reading Akka.TestKit's <see cref="TestScheduler"/>, so that
/// what the node reads on its clock (candidate expiry, the request rate limit, the relay rate's tokens) and its Akka timers
/// (the expiry tick, handshake and request timeouts, stage timers) move together, only when the test advances them. The
/// clock's own timers are not virtual: nothing on the hub's paths under test uses them.
/// </summary>
public sealed class SchedulerClock : TimeProvider
{
    /// <summary>Makes an ActorSystem schedule on <see cref="TestScheduler"/>.</summary>
    public static Config Config { get; } =
        ConfigurationFactory.ParseString($"akka.scheduler.implementation = \"{typeof(TestScheduler).AssemblyQualifiedName}\"");

    private readonly TestScheduler _scheduler;
    private readonly DateTimeOffset _start;

    private SchedulerClock(ActorSystem system)
    {
        _scheduler = (TestScheduler)system.Scheduler;
        _start = _scheduler.Now;
        ActorSystem = system;
    }

    /// <summary>The system whose scheduler this clock reads.</summary>
    public ActorSystem ActorSystem { get; }

    /// <summary>Virtual time passed since the clock was made.</summary>
    public TimeSpan Elapsed => _scheduler.Now - _start;

    /// <summary>A new ActorSystem on the test scheduler, and its clock.</summary>
    public static SchedulerClock Create(string name) => new(ActorSystem.Create(name, Config));

    public override DateTimeOffset GetUtcNow() => _scheduler.Now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _scheduler.Now.UtcTicks;

    /// <summary>
    /// Moves virtual time on in steps of <paramref name="step"/> until <paramref name="done"/> holds, giving the system a
    /// moment of real time after each step to handle what came due (pacing, not synchronisation: <paramref name="done"/>
    /// is what the test waits for, and checks along the way). Fails after <paramref name="timeout"/> of real time.
    /// </summary>
    public async Task AdvanceUntilAsync(Func<bool> done, TimeSpan step, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not done after {Elapsed} of virtual time and {timeout} of real time");
            _scheduler.Advance(step);
            await Task.Delay(1);
        }
    }

    /// <summary>Moves virtual time on by <paramref name="by"/> at once: everything due in between runs (or is told) now.</summary>
    public void Advance(TimeSpan by) => _scheduler.Advance(by);
}
