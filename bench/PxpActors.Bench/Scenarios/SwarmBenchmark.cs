using System.Diagnostics;
using PxpActors.Bench.Reporting;
using PxpActors.Simulation;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// A simulated swarm (PxpActors.Simulation: real exchanges, in-memory links, simulated WebRTC) at target degree 8: the time
/// from bootstrap until every node has 8 peers and the graph is connected, and the GC heap per node once it has. Nodes
/// bootstrap over a random tree (each dials one earlier node, one link at a time), so no single seed holds every session. Sizes: 200 with
/// --quick, 1,000 otherwise; PXP_BENCH_SWARM_NODES=1000,10000 chooses others (the 10,000 takes minutes).
/// </summary>
public static class SwarmBenchmark
{
    public const string Name = "swarm";
    private const int TargetDegree = 8;
    // Issue 16: at most 2 GiB for 10,000 nodes.
    private const double HeapPerNodeTargetKiB = 2.0 * 1024 * 1024 / 10_000;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var sizes = Environment.GetEnvironmentVariable("PXP_BENCH_SWARM_NODES") is { Length: > 0 } given
            ? given.Split(',').Select(int.Parse).ToArray()
            : profile.Name == "quick" ? [200] : [1_000];
        var results = new List<BenchResult>();
        double? firstTimePerNode = null, firstHeapPerNode = null;
        foreach (var nodes in sizes)
        {
            var (seconds, heapKiB, graph) = await MeasureAsync(nodes).ConfigureAwait(false);
            var context = $"{nodes:N0} nodes: {graph}";
            results.Add(new BenchResult(Name, $"time to degree {TargetDegree}, {nodes:N0} nodes", "s", seconds,
                firstTimePerNode is null ? "none" : $"per-node time at {sizes[0]:N0} × {nodes / sizes[0]}",
                firstTimePerNode * nodes, "per-node cost flat within 1.2×", firstTimePerNode is null ? null : seconds / nodes <= firstTimePerNode * 1.2,
                context));
            results.Add(new BenchResult(Name, $"GC heap per node, {nodes:N0} nodes", "KiB", heapKiB,
                firstHeapPerNode is null ? "none" : $"per node at {sizes[0]:N0}", firstHeapPerNode,
                $"<= {HeapPerNodeTargetKiB:0} KiB (2 GiB at 10,000)", heapKiB <= HeapPerNodeTargetKiB && (firstHeapPerNode is null || heapKiB <= firstHeapPerNode * 1.2)));
            firstTimePerNode ??= seconds / nodes;
            firstHeapPerNode ??= heapKiB;
        }
        return results;
    }

    private static async Task<(double Seconds, double HeapKiB, string Graph)> MeasureAsync(int nodes)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using var sim = new Simulation.Simulation(new SimulationOptions { TargetPeers = TargetDegree });
        var all = sim.AddNodes(nodes);
        var random = new Random(nodes);
        var clock = Stopwatch.StartNew();
        // One link at a time, each node to a random earlier one; a bootstrap refused while the swarm churns is tried again.
        for (var i = 1; i < nodes; i++)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await sim.ConnectAsync(all[i], all[random.Next(i)]).ConfigureAwait(false);
                    break;
                }
                catch (Actors.PxpRequestException) when (attempt < 3)
                {
                }
            }
        }
        var graph = await sim.AwaitGraphAsync(g => g.MinDegree >= TargetDegree && g.IsConnected,
            TimeSpan.FromSeconds(120 + nodes / 20.0), $"degree {TargetDegree}, connected").ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        return (seconds, (after - before) / 1024.0 / nodes, graph.ToString());
    }
}
