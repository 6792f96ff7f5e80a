using PxpActors.Bench.Measurement;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Topologies;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Throughput A → hub → B (getpeers + relay, a nested PXP session over the relay substream, the hub's
/// throttle off) against A → B over a direct PXP/TCP session between the same two nodes.
/// </summary>
public static class RelayBenchmark
{
    public const string Name = "relay";

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        await using var triangle = await RelayTriangle.OpenAsync().ConfigureAwait(false);
        var (direct, relayed) = await AlternatingRuns.MeasureAsync(
            warmup => ThroughputBenchmark.Transfer(triangle.Direct, profile, warmup),
            warmup => ThroughputBenchmark.Transfer(triangle.Relayed, profile, warmup),
            profile.TransferRepetitions).ConfigureAwait(false);
        return ThroughputBenchmark.Results(Name, "relayed app stream, throttle off", "direct PXP/TCP", 0.5, direct, relayed,
            profile, "JS reference (issue 2, not measured here): 92.8 MB/s unthrottled");
    }
}
