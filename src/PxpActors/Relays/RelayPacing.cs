using Akka.Actor;

namespace PxpActors.Relays;

/// <summary>
/// The rate a hub holds each direction of a relay to (pxp.relay-rate bytes per second) on the node's clock: tokens read on
/// <paramref name="Time"/> (<see cref="RelayTokens"/>), waits on <paramref name="Scheduler"/>, so that under a test
/// scheduler both are virtual.
/// </summary>
internal sealed record RelayPacing(int BytesPerSecond, TimeProvider Time, IScheduler Scheduler)
{
    /// <summary>A bucket for one direction.</summary>
    public RelayTokens NewTokens() => new(BytesPerSecond, Time);

    /// <summary>Completes once <paramref name="wait"/> has passed on the scheduler.</summary>
    public Task DelayAsync(TimeSpan wait)
    {
        var passed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Scheduler.Advanced.ScheduleOnce(wait, () => passed.TrySetResult());
        return passed.Task;
    }
}
