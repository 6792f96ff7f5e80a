using PxpActors.Bench.Measurement;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Topologies;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Application-stream throughput over PXP/TCP (the data:network stream as a System.IO.Stream) against
/// a raw socket pair on loopback: same 64 KiB writes, same time box, alternating runs judged in pairs. Also the CPU
/// time each path spends per megabyte, which a busy machine distorts far less than the wall clock.
/// </summary>
public static class ThroughputBenchmark
{
    public const string Name = "throughput";

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        await using var raw = await RawTcpPair.OpenAsync().ConfigureAwait(false);
        await using var pxp = await PxpTcpPair.OpenAsync().ConfigureAwait(false);
        var (rawRuns, pxpRuns) = await AlternatingRuns.MeasureAsync(
            warmup => Transfer(raw, profile, warmup),
            warmup => Transfer(pxp.Streams, profile, warmup),
            profile.TransferRepetitions).ConfigureAwait(false);
        return Results(Name, "PXP/TCP app stream", "raw .NET TCP", 0.8, rawRuns, pxpRuns, profile, null);
    }

    /// <summary>One time-boxed transfer from <paramref name="pair"/>'s writer to its reader.</summary>
    public static async Task<TransferRate> Transfer(StreamPair pair, BenchProfile profile, bool warmup)
    {
        var duration = warmup ? profile.TransferWarmup : profile.TransferDuration;
        // A stuck path fails the benchmark instead of hanging the run.
        using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));
        return await TimeBoxedTransfer.MeasureAsync(pair.Writer, pair.Reader, duration, BenchProfile.WriteSize, timeout.Token)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The target row: the median over pairs of (our run ÷ the baseline run next to it). On a shared machine the speed of
    /// both paths drifts by 2-3x within seconds, and runs next to each other share the drift, so the paired ratio is far
    /// steadier than a ratio of medians (in 48 pairs of 0.5 s runs: a spread of 0.04 over 20 pairs, against 0.17 for the
    /// medians of 5 runs of 1.5 s). Then the medians themselves, CPU per megabyte and allocations (context).
    /// </summary>
    public static IReadOnlyList<BenchResult> Results(string benchmark, string ours, string baseline, double minimumRatio,
        List<TransferRate> baselineRuns, List<TransferRate> ourRuns, BenchProfile profile, string? extraNote)
    {
        var pairedRatio = SampleSummary.Of(ourRuns.Zip(baselineRuns, (o, b) => o.MegabytesPerSecond / b.MegabytesPerSecond).ToList());
        var ourRate = SampleSummary.Of(ourRuns.Select(r => r.MegabytesPerSecond).ToList());
        var baselineRate = SampleSummary.Of(baselineRuns.Select(r => r.MegabytesPerSecond).ToList());
        var ourCpu = SampleSummary.Of(ourRuns.Select(r => r.CpuMsPerMegabyte).ToList());
        var baselineCpu = SampleSummary.Of(baselineRuns.Select(r => r.CpuMsPerMegabyte).ToList());
        var ourAllocations = SampleSummary.Of(ourRuns.Select(r => r.AllocatedBytesPerByte).ToList());
        var baselineAllocations = SampleSummary.Of(baselineRuns.Select(r => r.AllocatedBytesPerByte).ToList());
        var runs = $"{profile.TransferRepetitions} alternating pairs of {profile.TransferDuration.TotalSeconds:0.0#} s runs, 64 KiB writes; " +
            $"paired ratios {pairedRatio.Min:0.00}-{pairedRatio.Max:0.00}; ours {ourRate.Min:0}-{ourRate.Max:0} MB/s, " +
            $"baseline {baselineRate.Min:0}-{baselineRate.Max:0} MB/s";
        return
        [
            new BenchResult(benchmark, $"{ours} / {baseline}, median of paired runs", "x", pairedRatio.Median, baseline, null,
                $"ratio >= {minimumRatio}", pairedRatio.Median >= minimumRatio, extraNote is null ? runs : $"{runs}; {extraNote}",
                new Dictionary<string, double>
                {
                    ["pairedMin"] = pairedRatio.Min, ["pairedMax"] = pairedRatio.Max,
                    ["oursMin"] = ourRate.Min, ["oursMax"] = ourRate.Max,
                    ["baselineMin"] = baselineRate.Min, ["baselineMax"] = baselineRate.Max,
                }),
            new BenchResult(benchmark, $"{ours}, median", "MB/s", ourRate.Median, baseline, baselineRate.Median, "-", null,
                "context: the medians of the same runs, unpaired"),
            new BenchResult(benchmark, $"{ours}, CPU per MB (both ends)", "ms", ourCpu.Median, baseline, baselineCpu.Median,
                "-", null, "context: CPU time of this process per 10^6 bytes moved, median of the same runs"),
            new BenchResult(benchmark, $"{ours}, bytes allocated per byte moved", "B/B", ourAllocations.Median, baseline,
                baselineAllocations.Median, "-", null, "context: managed allocations of this process (both ends) per byte moved"),
        ];
    }
}
