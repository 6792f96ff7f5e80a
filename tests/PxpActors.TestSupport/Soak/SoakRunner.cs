using System.Diagnostics;
using PxpActors.TestSupport.Host;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// Runs one scenario against a host and samples it before, at its peak while the scenario runs, and after it has
/// settled. What "settled" means and how long to wait for it is the caller's (<paramref name="settled"/>): a CI
/// test asserts a return to baseline, the bench waits a bounded time and reports what it finds.
/// </summary>
public static class SoakRunner
{
    public static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(250);

    public static async Task<ScenarioFigures> RunAsync(HostProcess host, SoakTarget target, ISoakScenario scenario,
        Func<ProcessSample, Task> settled, CancellationToken cancel = default)
    {
        var before = host.Sample();
        var clock = Stopwatch.StartNew();
        SoakOutcome outcome;
        ProcessSample peak;
        await using (var sampler = PeakSampler.Start(host, SamplePeriod))
        {
            outcome = await scenario.RunAsync(target, cancel).ConfigureAwait(false);
            peak = await sampler.StopAsync().ConfigureAwait(false);
        }
        var took = clock.Elapsed;
        await settled(before).ConfigureAwait(false);
        return new ScenarioFigures(scenario.Name, took, before, peak, host.Sample(), outcome);
    }

    /// <summary>
    /// True once the host holds no peer and no more sockets than <paramref name="baseline"/>, and other descriptors and
    /// threads within <paramref name="tolerance"/> of it.
    /// </summary>
    public static bool IsBackTo(HostProcess host, ProcessSample baseline, SettleTolerance tolerance)
    {
        if (host.Peers != 0) return false;
        var now = host.Sample();
        return now.TcpSockets <= baseline.TcpSockets && now.Sockets <= baseline.Sockets
            && now.FileDescriptors <= baseline.FileDescriptors + tolerance.ExtraFiles
            && now.Threads <= baseline.Threads + tolerance.ExtraThreads;
    }

    /// <summary>For long runs: polls <see cref="IsBackTo"/> until it holds or <paramref name="patience"/> ran out; never throws.</summary>
    public static async Task<bool> SettleAsync(HostProcess host, ProcessSample baseline, SettleTolerance tolerance, TimeSpan patience)
    {
        using var timer = new PeriodicTimer(SamplePeriod);
        var deadline = DateTime.UtcNow + patience;
        while (!IsBackTo(host, baseline, tolerance))
        {
            if (DateTime.UtcNow > deadline) return false;
            await timer.WaitForNextTickAsync().ConfigureAwait(false);
        }
        return true;
    }
}

/// <summary>
/// What a settled host may hold beyond its baseline: a few pool threads the runtime keeps for a while after a burst,
/// and assemblies it maps (two descriptors each) the first time a code path runs, such as a stack trace's.
/// </summary>
public sealed record SettleTolerance(int ExtraThreads, int ExtraFiles)
{
    public static SettleTolerance Default { get; } = new(ExtraThreads: 6, ExtraFiles: 12);
}
