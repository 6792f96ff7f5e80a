using PxpActors.Bench.Measurement;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Topologies;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Throughput A → hub → B (getpeers + relay, a nested PXP session over the relay substream, the hub's
/// throttle off) against A → B over a direct PXP/TCP session between the same two nodes. For context, the
/// same ratio for bare sockets: raw TCP relayed by a copying pump against raw TCP direct, measured in the
/// same run (a relay in one process does twice the kernel work of a direct connection).
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
        var results = ThroughputBenchmark.Results(Name, "relayed app stream, throttle off", "direct PXP/TCP", 0.5, direct, relayed,
            profile, "JS reference (issue 2, not measured here): 92.8 MB/s unthrottled").ToList();

        await using var raw = await RawTcpPair.OpenAsync().ConfigureAwait(false);
        await using var rawRelay = await RawTcpRelay.OpenAsync().ConfigureAwait(false);
        var (rawDirect, rawRelayed) = await AlternatingRuns.MeasureAsync(
            warmup => ThroughputBenchmark.Transfer(raw, profile, warmup),
            warmup => ThroughputBenchmark.Transfer(rawRelay.Streams, profile, warmup),
            profile.TransferRepetitions).ConfigureAwait(false);
        var rawRelayRate = SampleSummary.Of(rawRelayed.Select(r => r.MegabytesPerSecond).ToList());
        var rawDirectRate = SampleSummary.Of(rawDirect.Select(r => r.MegabytesPerSecond).ToList());
        results.Add(new BenchResult(Name, "context: raw TCP through a copying pump, median", "MB/s", rawRelayRate.Median,
            "raw .NET TCP direct", rawDirectRate.Median, "-", null,
            "the same relay-to-direct ratio for bare sockets in this process: what a relay can reach here at best"));
        return results;
    }
}
