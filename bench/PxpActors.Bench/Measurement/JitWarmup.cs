using System.Runtime;

namespace PxpActors.Bench.Measurement;

/// <summary>
/// Warm-ups that last until the .NET JIT has settled: tiered compilation promotes hot code to optimized code only after
/// a while, on a background thread whose CPU would otherwise be counted in, and compete with, the timed work.
/// </summary>
public static class JitWarmup
{
    /// <summary>
    /// Runs <paramref name="batch"/> until one run of it compiles fewer than <paramref name="settledCompiles"/> new methods
    /// (none, by default) and at least <paramref name="minBatches"/> have run, or <paramref name="maxBatches"/> have.
    /// Returns how many ran.
    /// </summary>
    public static async Task<int> UntilSettledAsync(Func<Task> batch, int maxBatches, int minBatches = 1, int settledCompiles = 1)
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        for (var done = 1; ; done++)
        {
            await batch().ConfigureAwait(false);
            var now = JitInfo.GetCompiledMethodCount();
            if ((now - compiled < settledCompiles && done >= minBatches) || done >= maxBatches) return done;
            compiled = now;
        }
    }
}
