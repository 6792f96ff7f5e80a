using System.Runtime;

namespace PxpActors.Bench.Measurement;

/// <summary>
/// Warm-ups that last until the .NET JIT has settled: tiered compilation promotes hot code to optimized code only after
/// a while, on a background thread whose CPU would otherwise be counted in, and compete with, the timed work.
/// </summary>
public static class JitWarmup
{
    // Quiet runs in a row that count as settled: one quiet run proves little (see UntilSettledAsync).
    private const int QuietInARow = 3;

    /// <summary>
    /// Runs <paramref name="batch"/> until three runs of it in a row each compile fewer than
    /// <paramref name="settledCompiles"/> new methods (none, by default) and at least <paramref name="minBatches"/> have
    /// run, or <paramref name="maxBatches"/> have. Returns how many ran.
    /// </summary>
    /// <remarks>
    /// One quiet run proves little where promotions come in waves: the runtime counts calls only once no new code has
    /// been compiled for a while, so a workload that keeps touching new code goes quiet between waves of promotions.
    /// </remarks>
    public static async Task<int> UntilSettledAsync(Func<Task> batch, int maxBatches, int minBatches = 1, int settledCompiles = 1)
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        var quiet = 0;
        for (var done = 1; ; done++)
        {
            await batch().ConfigureAwait(false);
            var now = JitInfo.GetCompiledMethodCount();
            quiet = now - compiled < settledCompiles ? quiet + 1 : 0;
            if ((quiet >= QuietInARow && done >= minBatches) || done >= maxBatches) return done;
            compiled = now;
        }
    }
}
