using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using PxpActors.Bench.Processes;
using PxpActors.Bench.Roles;
using PxpActors.Simulation.Observation;
using PxpActors.Simulation.Remote;

namespace PxpActors.Bench.Scenarios.Swarm;

/// <summary>
/// What one two-process swarm measured: as <see cref="SwarmRun"/> for the whole swarm (both processes), plus each process's
/// own memory and CPU time.
/// </summary>
public sealed record SwarmRemoteRun(SwarmRun Swarm, int NodesPerProcess, SwarmProcessCost Parent, SwarmProcessCost Child)
{
    /// <summary>The network the nodes of both processes join.</summary>
    public const string NetworkId = "swarm";

    /// <summary>
    /// How long a silent process is given before DeathWatch declares it gone (and every link to it fails): far longer than in
    /// tests, since on a loaded machine thousands of nodes can delay heartbeats by seconds.
    /// </summary>
    public static readonly TimeSpan FailureDetection = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Link timeouts for a starved machine: an endpoint behind thousands of nodes' traffic may take more than the default 5 s
    /// to accept an offer, and a node more than 25 s to run its side (Akka's stream-ref subscription timeout is raised to match).
    /// </summary>
    public static readonly CrossSystemLinkSettings LinkSettings = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(100), 32 * 1024);

    /// <summary>Both processes' systems: stream refs wait for the other side as long as <see cref="LinkSettings"/> let a side wait.</summary>
    public static readonly Config SystemConfig = ConfigurationFactory.ParseString("akka.stream.materializer.stream-ref.subscription-timeout = 120s");

    /// <summary>Both processes' ActorSystem, with their NodeHost.</summary>
    public static ActorSystem StartSystem(string name)
    {
        var system = RemoteSimulationConfig.CreateSystem(name, extra: SystemConfig, failureDetection: FailureDetection);
        system.ActorOf(NodeHost.Props(NetworkId, LinkSettings, simulatedWebRtc: true), NodeHost.DefaultName);
        return system;
    }

    public string Summary() =>
        $"{Swarm.Summary()}; this process: {Parent}; child: {Child}";

    /// <summary>
    /// Starts a child process (<see cref="SwarmRemoteNodeRole"/>), <paramref name="nodesPerProcess"/> nodes in each process
    /// (NodeHosts with the simulated WebRTC that reaches the other system), links the 2N nodes over a random tree across both
    /// (nodes taken alternately from each process, each dials one earlier node, <paramref name="parallelism"/> links at a
    /// time), waits until every node has <paramref name="targetDegree"/> direct peers, checks the whole graph is connected,
    /// then counts messages for <paramref name="steadyWindow"/>.
    /// </summary>
    public static async Task<SwarmRemoteRun> MeasureAsync(int nodesPerProcess, int targetDegree, int parallelism, TimeSpan steadyWindow,
        TimeSpan convergeTimeout)
    {
        var total = nodesPerProcess * 2;
        var heapBefore = HeapBytes();
        using var messages = new SwarmMessageCounter();
        var system = StartSystem("swarm-remote");
        await using var child = ChildProcess.Start(SwarmRemoteNodeRole.Name, ChildProcess.Self("--role", SwarmRemoteNodeRole.Name));
        try
        {
            var childAddress = Address.Parse((string)(await child.ReadReplyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false))["address"]!);
            var childBefore = await MeasureChildAsync(child).ConfigureAwait(false);
            var here = await NodeHostClient.ResolveAsync(system, RemoteSimulationConfig.AddressOf(system), timeout: TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            var there = await NodeHostClient.ResolveAsync(system, childAddress, timeout: TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            var hosts = new[] { here, there };
            var endpoints = new[] { await here.EndpointAsync().ConfigureAwait(false), await there.EndpointAsync().ConfigureAwait(false) };

            // Node k lives in process k % 2 as its (k / 2)-th node.
            string NameOf(int k) => $"{(k % 2 == 0 ? "p" : "c")}{k / 2}";
            var nodeIds = new string[total];
            var created = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (k, _) =>
            {
                nodeIds[k] = await hosts[k % 2].CreateNodeAsync(NameOf(k), targetDegree).ConfigureAwait(false);
                if (Interlocked.Increment(ref created) % 2_000 == 0) Console.Error.WriteLine($"    {created:N0} nodes created ({DateTime.UtcNow:HH:mm:ss} UTC)");
            }).ConfigureAwait(false);
            Console.Error.WriteLine($"    {total:N0} nodes created ({DateTime.UtcNow:HH:mm:ss} UTC), bootstrapping");

            var random = new Random(total);
            var edges = Enumerable.Range(1, total - 1).Select(k => (From: k, To: random.Next(k))).ToList();
            var samples = new List<DegreeSample>();
            var interval = TimeSpan.FromMilliseconds(Math.Clamp(total / 5, 250, 2_000));
            messages.Take();
            await ChildStatsAsync(child).ConfigureAwait(false);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var childCpuBefore = (await ChildStatsAsync(child).ConfigureAwait(false)).CpuSeconds;
            var clock = Stopwatch.StartNew();
            using var sampling = new CancellationTokenSource();
            var sampler = SampleAsync(hosts, targetDegree, clock, samples, interval, sampling.Token);
            await Parallel.ForEachAsync(edges, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (edge, _) =>
            {
                // A bootstrap link whose handshake a starved machine let time out is tried again.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await hosts[edge.From % 2].ConnectAsync(NameOf(edge.From), endpoints[edge.To % 2], NameOf(edge.To)).ConfigureAwait(false);
                        return;
                    }
                    catch (Exception e) when (e is InvalidOperationException or AskTimeoutException && attempt < 10)
                    {
                    }
                }
            }).ConfigureAwait(false);
            Console.Error.WriteLine($"    bootstrap links up after {clock.Elapsed.TotalSeconds:0} s ({DateTime.UtcNow:HH:mm:ss} UTC)");

            var deadline = clock.Elapsed + convergeTimeout;
            var rejoins = new Rejoins(hosts, endpoints, NameOf, new Random(total + 1));
            DegreeSample last;
            while (true)
            {
                var degrees = await DegreesAsync(hosts).ConfigureAwait(false);
                last = Sample(degrees, targetDegree, clock);
                if (last.MinDegree >= targetDegree) break;
                rejoins.Isolated(degrees);
                if (clock.Elapsed > deadline)
                    throw new TimeoutException($"Not every node reached degree {targetDegree} within {convergeTimeout.TotalSeconds:0} s: " +
                                               $"{last.ShareAtTarget:P1} at it, minimum {last.MinDegree}, average {last.AverageDegree:0.0}");
                await Task.Delay(interval).ConfigureAwait(false);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            var childStats = await ChildStatsAsync(child).ConfigureAwait(false);
            var childCpuSeconds = childStats.CpuSeconds - childCpuBefore;
            var converging = Sum(messages.Take(), childStats.Messages).Scaled(1.0 / total);
            lock (samples) samples.Add(last);

            var heap = HeapBytes() - heapBefore;
            var workingSet = Process.GetCurrentProcess().WorkingSet64;
            var childAfter = await MeasureChildAsync(child).ConfigureAwait(false);

            messages.Take();
            await ChildStatsAsync(child).ConfigureAwait(false);
            var steady = Stopwatch.StartNew();
            await Task.Delay(steadyWindow).ConfigureAwait(false);
            var steadyMessages = Sum(messages.Take(), (await ChildStatsAsync(child).ConfigureAwait(false)).Messages)
                .Scaled(1.0 / total / steady.Elapsed.TotalMinutes);
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            lock (samples) samples.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));

            var graph = await GraphAsync(hosts, nodeIds, NameOf).ConfigureAwait(false);
            if (rejoins.Count > 0) Console.Error.WriteLine($"    {rejoins.Count} rejoin(s) of nodes left without peers");
            var parentCost = new SwarmProcessCost(nodesPerProcess, cpuSeconds, heap / 1024.0 / 1024, workingSet / 1024.0 / 1024);
            var childCost = new SwarmProcessCost(nodesPerProcess, childCpuSeconds, (childAfter.GcHeapBytes - childBefore.GcHeapBytes) / 1024.0 / 1024,
                childAfter.WorkingSetBytes / 1024.0 / 1024);
            var swarm = new SwarmRun(total, seconds, cpuSeconds + childCpuSeconds, parentCost.HeapMiB + childCost.HeapMiB,
                parentCost.WorkingSetMiB + childCost.WorkingSetMiB, converging, steadyMessages, steady.Elapsed.TotalSeconds, samples, graph.ToString());
            if (!graph.IsConnected) throw new InvalidOperationException($"The swarm reached degree {targetDegree} but is not connected: {graph}");
            return new SwarmRemoteRun(swarm, nodesPerProcess, parentCost, childCost);
        }
        finally
        {
            // Thousands of nodes are not closed one by one: the child is thrown away, this system terminated.
            await Task.WhenAny(system.Terminate(), Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        }
    }

    private static async Task SampleAsync(NodeHostClient[] hosts, int targetDegree, Stopwatch clock, List<DegreeSample> samples,
        TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval * 2);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                DegreeSample sample;
                try
                {
                    sample = await SampleOnceAsync(hosts, targetDegree, clock).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AskTimeoutException or InvalidOperationException)
                {
                    continue; // a host too busy to answer in time: the next look will do
                }
                int count;
                lock (samples)
                {
                    samples.Add(sample);
                    count = samples.Count;
                }
                if (count % Math.Max(1, (int)(TimeSpan.FromSeconds(30) / (interval * 2))) == 0)
                    Console.Error.WriteLine($"    {DateTime.UtcNow:HH:mm:ss} UTC, {sample.Seconds:0} s: {sample.ShareAtTarget:P1} at degree {targetDegree}, minimum {sample.MinDegree}, average {sample.AverageDegree:0.#}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<DegreeSample> SampleOnceAsync(NodeHostClient[] hosts, int targetDegree, Stopwatch clock) =>
        Sample(await DegreesAsync(hosts).ConfigureAwait(false), targetDegree, clock);

    /// <summary>Every node's degree, indexed as the nodes are numbered (node k is the (k / 2)-th of process k % 2).</summary>
    private static async Task<int[]> DegreesAsync(NodeHostClient[] hosts)
    {
        var byHost = await Task.WhenAll(hosts.Select(h => h.DegreesAsync())).ConfigureAwait(false);
        var degrees = new int[byHost[0].Count + byHost[1].Count];
        for (var k = 0; k < degrees.Length; k++) degrees[k] = byHost[k % 2][k / 2];
        return degrees;
    }

    private static DegreeSample Sample(IReadOnlyList<int> degrees, int targetDegree, Stopwatch clock) =>
        new(clock.Elapsed.TotalSeconds, degrees.Count == 0 ? 0 : degrees.Min(), degrees.Count == 0 ? 0 : degrees.Average(),
            degrees.Count == 0 ? 0 : (double)degrees.Count(d => d >= targetDegree) / degrees.Count);

    /// <summary>The direct peers of every node of both processes, as one graph (node names; peers by node id).</summary>
    private static async Task<PeerGraph> GraphAsync(NodeHostClient[] hosts, string[] nodeIds, Func<int, string> nameOf)
    {
        var byId = nodeIds.Select((id, k) => (id, k)).ToDictionary(e => e.id, e => nameOf(e.k), StringComparer.Ordinal);
        var edges = new List<(string, string)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, nodeIds.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (k, _) =>
        {
            var peers = await hosts[k % 2].ListPeersAsync(nameOf(k)).ConfigureAwait(false);
            var mine = peers.Where(p => !p.Relayed && p.NodeId is not null && byId.ContainsKey(p.NodeId)).Select(p => (nameOf(k), byId[p.NodeId!]));
            lock (edges) edges.AddRange(mine);
        }).ConfigureAwait(false);
        return new PeerGraph(Enumerable.Range(0, nodeIds.Length).Select(nameOf), edges);
    }

    private static async Task<(SwarmMessages Messages, double CpuSeconds)> ChildStatsAsync(ChildProcess child)
    {
        var reply = await child.RequestAsync("stats", TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        return (new SwarmMessages((double)reply["getPeers"]!, (double)reply["relay"]!, (double)reply["upgrade"]!), (double)reply["cpuSeconds"]!);
    }

    private static async Task<MemoryReading> MeasureChildAsync(ChildProcess child)
    {
        var reply = await child.RequestAsync("measure", TimeSpan.FromSeconds(300)).ConfigureAwait(false);
        return new MemoryReading(0, (long)reply["gcHeapBytes"]!, (long)reply["workingSetBytes"]!);
    }

    private static SwarmMessages Sum(SwarmMessages a, SwarmMessages b) => new(a.GetPeers + b.GetPeers, a.Relay + b.Relay, a.Upgrade + b.Upgrade);

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
