using PxpActors.Bench.Reporting;
using PxpActors.Bench.Scenarios.Swarm;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Opt-in: a simulated swarm split over two processes joined by Akka.Remote on loopback (this one and a child), N nodes in
/// each, target degree 8, bootstrapped over a random tree across both; nodes upgrade over the simulated WebRTC, whose
/// connections between the processes run over cross-system links (docs/simulation-remote.md). Reports the time until every
/// node has 8 peers (and the graph is connected), GC heap and CPU time per node in each process, and messages per node.
/// N is 5,000 (2 × 5,000 nodes), 200 with --quick; PXP_BENCH_SWARM_REMOTE_NODES=500,1000 chooses others (nodes per
/// process, one run each). Writes swarm-remote.md and swarm-remote-convergence.png next to the JSON report.
/// </summary>
public static class SwarmRemoteBenchmark
{
    public const string Name = "swarm-remote";
    private const int TargetDegree = 8;
    private const int BootstrapParallelism = 8;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var sizes = Environment.GetEnvironmentVariable("PXP_BENCH_SWARM_REMOTE_NODES") is { Length: > 0 } given
            ? given.Split(',').Select(int.Parse).ToArray()
            : profile.Name == "quick" ? [200] : [5_000];
        var steadyWindow = profile.Name == "quick" ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(30);
        var results = new List<BenchResult>();
        var runs = new List<SwarmRun>();
        foreach (var perProcess in sizes)
        {
            var total = perProcess * 2;
            Console.Error.WriteLine($"  swarm of 2 × {perProcess:N0} nodes in two processes ...");
            SwarmRemoteRun run;
            try
            {
                // The single-process swarm converged 10,000 nodes in 496 s of wall time on this machine: give two processes three times that.
                run = await SwarmRemoteRun.MeasureAsync(perProcess, TargetDegree, BootstrapParallelism, steadyWindow,
                    TimeSpan.FromSeconds(300 + total * 0.15)).ConfigureAwait(false);
            }
            catch (Exception e) when (runs.Count > 0)
            {
                results.Add(new BenchResult(Name, $"time to degree {TargetDegree}, 2 × {perProcess:N0} nodes", "s", double.NaN, "none", null,
                    "converges", false, $"{e.GetType().Name}: {(e.Message.Length > 600 ? e.Message[..600] : e.Message)}"));
                break;
            }
            runs.Add(run.Swarm);
            SwarmReport.Write(SwarmBenchmark.ResultsDirectory, Name, runs, TargetDegree);
            Console.Error.WriteLine($"  {run.Summary()}");
            results.Add(new BenchResult(Name, $"time to degree {TargetDegree}, 2 × {perProcess:N0} nodes", "s", run.Swarm.SecondsToDegree,
                "none", null, "converges", true, run.Swarm.Graph));
            results.Add(new BenchResult(Name, $"CPU time to degree {TargetDegree}, 2 × {perProcess:N0} nodes", "s", run.Swarm.CpuSecondsToDegree,
                "none", null, "none", null, $"this process {run.Parent.CpuSeconds:0.#} s, child {run.Child.CpuSeconds:0.#} s"));
            results.Add(new BenchResult(Name, $"GC heap per node, this process, 2 × {perProcess:N0} nodes", "KiB", run.Parent.HeapKiBPerNode,
                "none", null, "none", null, run.Parent.ToString()));
            results.Add(new BenchResult(Name, $"GC heap per node, child process, 2 × {perProcess:N0} nodes", "KiB", run.Child.HeapKiBPerNode,
                "none", null, "none", null, run.Child.ToString()));
            results.Add(new BenchResult(Name, $"messages per node to converge, 2 × {perProcess:N0} nodes", "msgs", run.Swarm.ConvergingPerNode.Total,
                "none", null, "none", null, run.Swarm.ConvergingPerNode.ToString()));
            results.Add(new BenchResult(Name, $"messages per node per minute in steady state, 2 × {perProcess:N0} nodes", "msgs/min",
                run.Swarm.SteadyPerNodeMinute.Total, "none", null, "none", null,
                $"{run.Swarm.SteadyPerNodeMinute} over {run.Swarm.SteadySeconds:0} s"));
        }
        return results;
    }
}
