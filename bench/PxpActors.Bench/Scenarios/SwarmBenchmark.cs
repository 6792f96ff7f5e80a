using System.Diagnostics;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Scenarios.Swarm;
using PxpActors.Simulation;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// A simulated swarm (PxpActors.Simulation: real exchanges, in-memory links, simulated WebRTC) at target degree 8: the time
/// from bootstrap until every node has 8 peers and the graph is connected, the GC heap per node once it has, and the
/// getpeers, relay and upgrade messages per node, while converging and per minute in steady state. Nodes bootstrap over a
/// random tree (each dials one earlier node, a few links at a time), so no single seed holds every session. Sizes: 200 with
/// --quick, 1,000 otherwise; <c>swarm-10k</c> (opt-in) runs 1,000, 2,000, 5,000 and 10,000; PXP_BENCH_SWARM_NODES=1000,10000
/// chooses others. Each run writes a table (swarm.md) and a plot of degree convergence (swarm-convergence.png) next to the
/// JSON report.
/// </summary>
public static class SwarmBenchmark
{
    public const string Name = "swarm";
    public const string LargeName = "swarm-10k";
    private const int TargetDegree = 8;
    // Links dialled at once while bootstrapping: enough to keep both cores busy, few enough that no node is swamped.
    private const int BootstrapParallelism = 8;
    // Issue 16: at most 2 GiB for 10,000 nodes.
    private const double HeapPerNodeTargetKiB = 2.0 * 1024 * 1024 / 10_000;

    /// <summary>Where swarm.md and swarm-convergence.png go (the JSON report's directory); set before a run.</summary>
    public static string ResultsDirectory { get; set; } = Directory.GetCurrentDirectory();

    public static Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile) =>
        RunSizesAsync(Name, profile.Name == "quick" ? [200] : [1_000], profile.Name == "quick" ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(30));

    public static Task<IReadOnlyList<BenchResult>> RunLargeAsync(BenchProfile profile) =>
        RunSizesAsync(LargeName, [1_000, 2_000, 5_000, 10_000], TimeSpan.FromSeconds(60));

    private static async Task<IReadOnlyList<BenchResult>> RunSizesAsync(string name, int[] defaultSizes, TimeSpan steadyWindow)
    {
        var sizes = Environment.GetEnvironmentVariable("PXP_BENCH_SWARM_NODES") is { Length: > 0 } given
            ? given.Split(',').Select(int.Parse).ToArray()
            : defaultSizes;
        var results = new List<BenchResult>();
        var runs = new List<SwarmRun>();
        SwarmRun? first = null;
        foreach (var nodes in sizes)
        {
            Console.Error.WriteLine($"  swarm of {nodes:N0} nodes ...");
            SwarmRun run;
            try
            {
                run = await SwarmRun.MeasureAsync(nodes, TargetDegree, BootstrapParallelism, steadyWindow).ConfigureAwait(false);
            }
            catch (Exception e) when (runs.Count > 0)
            {
                // The sizes before stand; a bigger one that did not converge says so, and the rest are not tried.
                results.Add(new BenchResult(name, $"time to degree {TargetDegree}, {nodes:N0} nodes", "s", double.NaN, "none", null,
                    "converges", false, $"{e.GetType().Name}: {(e.Message.Length > 600 ? e.Message[..600] : e.Message)}"));
                break;
            }
            runs.Add(run);
            // Written after each size, so a long run that is stopped still leaves what it measured.
            SwarmReport.Write(ResultsDirectory, name, runs, TargetDegree);
            Console.Error.WriteLine($"  {run.Summary()}");
            var scale = first is null ? null : $"per node at {first.Nodes:N0} × {(double)nodes / first.Nodes:0.#}";
            results.Add(new BenchResult(name, $"time to degree {TargetDegree}, {nodes:N0} nodes", "s", run.SecondsToDegree,
                scale ?? "none", first is null ? null : first.SecondsToDegree / first.Nodes * nodes,
                "per-node cost flat within 1.2×",
                first is null ? null : run.SecondsToDegree / nodes <= first.SecondsToDegree / first.Nodes * 1.2, run.Graph));
            results.Add(new BenchResult(name, $"CPU time to degree {TargetDegree}, {nodes:N0} nodes", "s", run.CpuSecondsToDegree,
                scale ?? "none", first is null ? null : first.CpuSecondsToDegree / first.Nodes * nodes, "per-node cost flat within 1.2×",
                first is null ? null : run.CpuSecondsToDegree / nodes <= first.CpuSecondsToDegree / first.Nodes * 1.2,
                "the whole process's CPU time (both cores) from the bootstrap until every node has its degree"));
            results.Add(new BenchResult(name, $"GC heap per node, {nodes:N0} nodes", "KiB", run.HeapKiBPerNode,
                first is null ? "none" : $"per node at {first.Nodes:N0}", first?.HeapKiBPerNode,
                $"<= {HeapPerNodeTargetKiB:0} KiB (2 GiB at 10,000)",
                run.HeapKiBPerNode <= HeapPerNodeTargetKiB && (first is null || run.HeapKiBPerNode <= first.HeapKiBPerNode * 1.2),
                $"{run.HeapMiB:0} MiB GC heap, {run.WorkingSetMiB:0} MiB working set in all"));
            results.Add(new BenchResult(name, $"messages per node to converge, {nodes:N0} nodes", "msgs", run.ConvergingPerNode.Total,
                first is null ? "none" : $"per node at {first.Nodes:N0}", first?.ConvergingPerNode.Total, "flat within 1.2×",
                first is null ? null : run.ConvergingPerNode.Total <= first.ConvergingPerNode.Total * 1.2, run.ConvergingPerNode.ToString()));
            results.Add(new BenchResult(name, $"messages per node per minute in steady state, {nodes:N0} nodes", "msgs/min",
                run.SteadyPerNodeMinute.Total, "none", null, "none", null,
                $"{run.SteadyPerNodeMinute} over {run.SteadySeconds:0} s"));
            first ??= run;
        }
        return results;
    }
}
