using System.Diagnostics;
using PxpActors.Simulation;

namespace PxpActors.Bench.Scenarios.Swarm;

/// <summary>What one swarm size measured: its convergence, memory and messages.</summary>
public sealed record SwarmRun(
    int Nodes,
    double SecondsToDegree,
    double CpuSecondsToDegree,
    double HeapMiB,
    double WorkingSetMiB,
    SwarmMessages ConvergingPerNode,
    SwarmMessages SteadyPerNodeMinute,
    double SteadySeconds,
    IReadOnlyList<DegreeSample> Samples,
    string Graph)
{
    public double HeapKiBPerNode => HeapMiB * 1024 / Nodes;

    public string Summary() =>
        $"{Nodes:N0} nodes: degree {SecondsToDegree:0.#} s ({CpuSecondsToDegree:0.#} s of CPU), {HeapMiB:0} MiB GC heap ({HeapKiBPerNode:0} KiB/node), " +
        $"{WorkingSetMiB:0} MiB working set; per node to converge: {ConvergingPerNode}; per node per minute after: {SteadyPerNodeMinute}";

    /// <summary>
    /// Starts <paramref name="nodes"/> nodes, links each to a random earlier one (<paramref name="parallelism"/> links at a
    /// time), waits until every node has <paramref name="targetDegree"/> peers and the graph is connected, then counts
    /// messages for <paramref name="steadyWindow"/>.
    /// </summary>
    public static async Task<SwarmRun> MeasureAsync(int nodes, int targetDegree, int parallelism, TimeSpan steadyWindow)
    {
        var before = HeapBytes();
        using var messages = new SwarmMessageCounter();
        await using var sim = new Simulation.Simulation(new SimulationOptions
        {
            TargetPeers = targetDegree, Seed = nodes,
            Node = new PeerExchangeOptions { MaxPeers = int.TryParse(Environment.GetEnvironmentVariable("PXP_BENCH_SWARM_MAX_PEERS"), out var m) ? m : 0 },
        });
        var all = sim.AddNodes(nodes);
        var random = new Random(nodes);
        var edges = Enumerable.Range(1, nodes - 1).Select(i => (From: i, To: random.Next(i))).ToList();
        var samples = new List<DegreeSample>();
        // A snapshot walks every node: look every 50 ms at 200 nodes, every second at 10,000.
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(nodes / 10, 50, 1_000));
        messages.Take();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(sim, targetDegree, clock, samples, interval, sampling.Token);
        await Parallel.ForEachAsync(edges, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (edge, _) =>
        {
            // A bootstrap refused while the swarm churns, or whose handshake a starved machine let time out, is tried again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await sim.ConnectAsync(all[edge.From], all[edge.To]).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is Actors.PxpRequestException or Protocol.PxpProtocolException or Akka.Actor.AskTimeoutException
                                          && attempt < 5)
                {
                }
            }
        }).ConfigureAwait(false);
        var graph = await sim.AwaitGraphAsync(g => g.MinDegree >= targetDegree && g.IsConnected,
            TimeSpan.FromSeconds(120 + nodes / 10.0), $"degree {targetDegree}, connected", interval: interval).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        // The process's CPU time as well: on a machine shared with other work, wall time says more about the neighbours.
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var converging = messages.Take().Scaled(1.0 / nodes);
        samples.Add(Sample(graph, targetDegree, seconds));
        var heap = HeapBytes() - before;
        var workingSet = Process.GetCurrentProcess().WorkingSet64;

        messages.Take();
        var steady = Stopwatch.StartNew();
        await Task.Delay(steadyWindow).ConfigureAwait(false);
        var steadyMessages = messages.Take().Scaled(1.0 / nodes / steady.Elapsed.TotalMinutes);
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        lock (samples) samples.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));
        return new SwarmRun(nodes, seconds, cpuSeconds, heap / 1024.0 / 1024, workingSet / 1024.0 / 1024, converging, steadyMessages,
            steady.Elapsed.TotalSeconds, samples, graph.ToString());
    }

    private static async Task SampleAsync(Simulation.Simulation sim, int targetDegree, Stopwatch clock, List<DegreeSample> samples,
        TimeSpan interval, CancellationToken stop)
    {
        // Twice as seldom as the wait's own looks: the plot needs a curve, not every step of it.
        using var timer = new PeriodicTimer(interval * 2);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var sample = Sample(sim.Snapshot(), targetDegree, clock.Elapsed.TotalSeconds);
                int count;
                lock (samples)
                {
                    samples.Add(sample);
                    count = samples.Count;
                }
                // A long run says how far it has got, now and then.
                if (count % Math.Max(1, (int)(TimeSpan.FromSeconds(30) / (interval * 2))) == 0)
                    Console.Error.WriteLine($"    {sample.Seconds:0} s: {sample.ShareAtTarget:P0} at degree {targetDegree}, average {sample.AverageDegree:0.#}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static DegreeSample Sample(Simulation.Observation.PeerGraph graph, int targetDegree, double seconds)
    {
        var atTarget = graph.Nodes.Count(n => graph.Degree(n) >= targetDegree);
        return new DegreeSample(seconds, graph.MinDegree, graph.AverageDegree, graph.Nodes.Count == 0 ? 0 : (double)atTarget / graph.Nodes.Count);
    }

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
