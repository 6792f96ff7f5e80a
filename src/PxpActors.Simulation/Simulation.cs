using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using PxpActors.Actors;
using PxpActors.Simulation.Links;
using PxpActors.Simulation.Observation;
using PxpActors.Simulation.Time;
using PxpActors.Simulation.Topologies;
using PxpActors.Simulation.WebRtc;

namespace PxpActors.Simulation;

/// <summary>
/// Many PXP nodes in one process: real exchanges joined by in-memory links (latency, jitter, bandwidth, cuts, partitions)
/// and a simulated WebRTC, so getNewPeer and swarm upkeep run as on a real network, on real or virtual time. Observe it
/// with <see cref="Snapshot"/> and <see cref="AwaitGraphAsync"/>; dispose it to close every node (and the systems it made).
/// </summary>
public sealed class Simulation : IAsyncDisposable
{
    private static readonly Config SystemConfig = ConfigurationFactory.ParseString("akka.loglevel = WARNING");
    private readonly SimulationOptions _options;
    private readonly List<ActorSystem> _systems = [];
    private readonly List<IMaterializer> _materializers = [];
    private readonly bool _ownsSystems;
    private readonly object _gate = new();
    private readonly List<SimulatedNode> _nodes = [];
    private readonly Dictionary<string, SimulatedNode> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedNode> _byNodeId = new(StringComparer.Ordinal);
    private readonly List<(SimulatedLink Link, SimulatedNode A, SimulatedNode B)> _links = [];
    private readonly Dictionary<string, int> _partition = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly HashSet<string> _rejoining = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _rejoinFailures = new(StringComparer.Ordinal);
    private int _disposed;

    /// <param name="options">How to set it up; the defaults run one system on real time.</param>
    public Simulation(SimulationOptions? options = null)
    {
        _options = options ?? new SimulationOptions();
        _random = _options.Seed is { } seed ? new Random(seed) : new Random();
        if (_options.System is { } given)
        {
            _systems.Add(given);
        }
        else
        {
            _ownsSystems = true;
            var config = _options.VirtualTime ? VirtualClock.SchedulerConfig.WithFallback(SystemConfig) : SystemConfig;
            for (var i = 0; i < Math.Max(1, _options.Systems); i++)
                _systems.Add(ActorSystem.Create($"pxp-sim-{i}", config.WithFallback(PxpConfig.Reference)));
        }
        if (_options.VirtualTime) Clock = new VirtualClock(_systems[0]);
        if (_options.VirtualTime && _systems.Count > 1)
            throw new ArgumentException("Virtual time runs on one ActorSystem's scheduler: use Systems = 1");
        // Our own materializers (a system's default one is shared), shut down with the simulation.
        foreach (var system in _systems) _materializers.Add(ActorMaterializer.Create(system, namePrefix: "pxp-sim-links"));
        WebRtc = new SimulatedWebRtc(Time, _options.WebRtc);
        WebRtc.CanConnect = SamePartition;
    }

    /// <summary>The virtual clock when <see cref="SimulationOptions.VirtualTime"/> is set, else null.</summary>
    public VirtualClock? Clock { get; }

    /// <summary>The clock the nodes read: the virtual one, or the system's.</summary>
    public TimeProvider Time => (TimeProvider?)Clock ?? TimeProvider.System;

    /// <summary>The ActorSystems the nodes run in.</summary>
    public IReadOnlyList<ActorSystem> Systems => _systems;

    /// <summary>The simulated WebRTC every node upgrades over (its behaviour can be changed while the simulation runs).</summary>
    public SimulatedWebRtc WebRtc { get; }

    /// <summary>Every node added, alive or not, in the order added.</summary>
    public IReadOnlyList<SimulatedNode> Nodes
    {
        get
        {
            lock (_gate) return [.. _nodes];
        }
    }

    /// <summary>The nodes that have not crashed or left.</summary>
    public IReadOnlyList<SimulatedNode> LiveNodes => [.. Nodes.Where(n => n.IsAlive)];

    /// <summary>The links whose pipes still run.</summary>
    public IReadOnlyList<SimulatedLink> Links
    {
        get
        {
            lock (_gate) return [.. _links.Select(l => l.Link).Where(l => l.IsOpen)];
        }
    }

    /// <summary>The node named <paramref name="name"/>.</summary>
    public SimulatedNode this[string name]
    {
        get
        {
            lock (_gate) return _byName[name];
        }
    }

    /// <summary>Starts a node (named node-N unless <paramref name="name"/> is given); it has no peer until linked.</summary>
    /// <param name="name">Its name in the simulation; unique.</param>
    /// <param name="targetPeers">Its pxp.target-peers, when not the simulation's.</param>
    /// <param name="options">Its options, when not <see cref="SimulationOptions.Node"/> (the WebRTC factory and clock are set on top).</param>
    public SimulatedNode AddNode(string? name = null, int? targetPeers = null, PeerExchangeOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        SimulatedNode node;
        lock (_gate)
        {
            name ??= $"node-{_nodes.Count}";
            if (_byName.ContainsKey(name)) throw new ArgumentException($"A node is already named {name}", nameof(name));
            var system = _systems[_nodes.Count % _systems.Count];
            var exchange = new PeerExchange(_options.NetworkId, NodeOptions(name, targetPeers ?? _options.TargetPeers, options), system);
            node = new SimulatedNode(name, exchange, Time);
            _nodes.Add(node);
            _byName[name] = node;
            _byNodeId[exchange.NodeId] = node;
        }
        node.EventRaised += OnNodeEvent;
        return node;
    }

    /// <summary>Starts <paramref name="count"/> nodes.</summary>
    public IReadOnlyList<SimulatedNode> AddNodes(int count) => [.. Enumerable.Range(0, count).Select(_ => AddNode())];

    /// <summary>
    /// Links <paramref name="from"/> to <paramref name="to"/> over a new in-memory link (<paramref name="from"/> dials) and
    /// completes once both sessions are ready. Between partitions the link is refused.
    /// </summary>
    public async Task<SimulatedLink> ConnectAsync(SimulatedNode from, SimulatedNode to, LinkConditions? conditions = null,
        CancellationToken cancellationToken = default)
    {
        if (!from.IsAlive || !to.IsAlive) throw new InvalidOperationException($"{(from.IsAlive ? to : from).Name} is down");
        if (!SamePartition(from.Name, to.Name)) throw new LinkCutException($"{from.Name} and {to.Name} are in different partitions");
        var link = new SimulatedLink(from.Name, to.Name, conditions ?? _options.Links, MaterializerOf(from), Clock);
        lock (_gate) _links.Add((link, from, to));
        _ = link.Completion.ContinueWith(_ =>
        {
            lock (_gate) _links.RemoveAll(l => ReferenceEquals(l.Link, link));
        }, TaskScheduler.Default);
        var dialing = from.Exchange.ConnectAsync(link.EndAtA, "memory", cancellationToken);
        var accepting = to.Exchange.AcceptAsync(link.EndAtB, "memory", cancellationToken);
        try
        {
            await Task.WhenAll(dialing, accepting).ConfigureAwait(false);
        }
        catch
        {
            link.Cut("the sessions over the link failed to start");
            throw;
        }
        return link;
    }

    /// <summary>Links <paramref name="nodes"/> (all live nodes when null) as <paramref name="topology"/> says, all at once.</summary>
    public async Task<IReadOnlyList<SimulatedLink>> ConnectAsync(Topology topology, IReadOnlyList<SimulatedNode>? nodes = null,
        LinkConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        nodes ??= LiveNodes;
        IReadOnlyList<(int From, int To)> edges;
        lock (_random) edges = topology.Edges(nodes.Count, _random);
        return await Task.WhenAll(edges.Select(e => ConnectAsync(nodes[e.From], nodes[e.To], conditions, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>
    /// Crashes <paramref name="node"/>: every link and WebRTC channel it has is cut at once (its peers see their transport
    /// fail, as when a machine vanishes), then its exchange is stopped.
    /// </summary>
    public async Task CrashAsync(SimulatedNode node)
    {
        node.MarkDown();
        foreach (var link in LinksOf(node)) link.Cut($"{node.Name} crashed");
        WebRtc.Cut((a, b) => a == node.Name || b == node.Name, $"{node.Name} crashed");
        await WhileTimePassesAsync(node.Exchange.CloseAsync()).ConfigureAwait(false);
    }

    /// <summary>Crashes a random <paramref name="fraction"/> of the live nodes, sparing those <paramref name="spare"/> picks.</summary>
    public async Task<IReadOnlyList<SimulatedNode>> CrashRandomAsync(double fraction, Func<SimulatedNode, bool>? spare = null)
    {
        var live = LiveNodes;
        var pool = live.Where(n => spare?.Invoke(n) != true).ToList();
        var count = Math.Min(pool.Count, (int)Math.Round(live.Count * fraction));
        List<SimulatedNode> victims;
        lock (_random) victims = [.. pool.OrderBy(_ => _random.Next()).Take(count)];
        await Task.WhenAll(victims.Select(CrashAsync)).ConfigureAwait(false);
        return victims;
    }

    /// <summary>Closes <paramref name="node"/> gracefully: its peers see orderly ends.</summary>
    public async Task LeaveAsync(SimulatedNode node)
    {
        node.MarkDown();
        await WhileTimePassesAsync(node.Exchange.CloseAsync()).ConfigureAwait(false);
    }

    /// <summary>
    /// Splits the network: nodes in different groups can no longer reach each other. Links and WebRTC channels between groups
    /// are cut, new ones refused, until <see cref="Heal"/>. Nodes in no group form one more group.
    /// </summary>
    public void Partition(params IEnumerable<SimulatedNode>[] groups)
    {
        lock (_gate)
        {
            _partition.Clear();
            for (var i = 0; i < groups.Length; i++)
                foreach (var node in groups[i]) _partition[node.Name] = i + 1;
        }
        foreach (var (link, a, b) in LinkEntries())
            if (!SamePartition(a.Name, b.Name)) link.Cut("partitioned");
        WebRtc.Cut((a, b) => !SamePartition(a, b), "partitioned");
    }

    /// <summary>Ends a partition: every node can reach every other again (cut links stay cut; upkeep and rejoins make new ones).</summary>
    public void Heal()
    {
        lock (_gate) _partition.Clear();
    }

    /// <summary>Who is directly connected to whom among the live nodes, now.</summary>
    public PeerGraph Snapshot()
    {
        var live = LiveNodes;
        var edges = new List<(string, string)>();
        foreach (var node in live)
        {
            foreach (var peer in node.DirectPeers)
            {
                if (peer.NodeId is not { } id) continue;
                SimulatedNode? other;
                lock (_gate) other = _byNodeId.GetValueOrDefault(id);
                if (other is { IsAlive: true }) edges.Add((node.Name, other.Name));
            }
        }
        return new PeerGraph(live.Select(n => n.Name), edges);
    }

    /// <summary>
    /// Waits until the peer graph satisfies <paramref name="condition"/>, looking every <paramref name="interval"/> (50 ms by
    /// default; a swarm of thousands is better looked at less often, a snapshot walks every node); on virtual time, the clock
    /// is advanced by <paramref name="virtualStep"/> between looks. Fails with the last snapshot after <paramref name="timeout"/>
    /// of real time.
    /// </summary>
    public async Task<PeerGraph> AwaitGraphAsync(Func<PeerGraph, bool> condition, TimeSpan timeout, string? what = null,
        TimeSpan? virtualStep = null, CancellationToken cancellationToken = default, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var graph = Snapshot();
            if (condition(graph)) return graph;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The peer graph did not reach {what ?? "the condition"} within {timeout.TotalSeconds:0.#} s: {graph}"
                                           + Stragglers(graph));
            if (Clock is { } clock) clock.Advance(virtualStep ?? TimeSpan.FromMilliseconds(100));
            RejoinStragglers(graph);
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The nodes outside the largest component, with their sessions and why they could not rejoin.</summary>
    private string Stragglers(PeerGraph graph)
    {
        if (graph.Components.Count < 2) return "";
        var main = graph.Components[0];
        var lines = LiveNodes.Where(n => !main.Contains(n.Name)).Take(10).Select(n =>
        {
            string? failure;
            lock (_rejoining) failure = _rejoinFailures.GetValueOrDefault(n.Name);
            return $"{n.Name}: degree {graph.Degree(n.Name)}, {n.DirectPeers.Count} direct and {n.Exchange.Peers.Count} sessions" +
                   (failure is null ? "" : $", rejoin failed: {failure}");
        });
        return "; outside the largest component: " + string.Join("; ", lines);
    }

    /// <summary>What the simulation holds open now: compare with a census taken before to find leaks.</summary>
    public SimulationCensus Census()
    {
        var actors = _systems.Sum(s => CountActors(((ExtendedActorSystem)s).Guardian));
        return new SimulationCensus(actors, Links.Count, WebRtc.OpenConnections, WebRtc.OpenChannels, LiveNodes.Count);
    }

    /// <summary>The paths of the actors <see cref="Census"/> counts, to tell what was left open.</summary>
    public IReadOnlyList<string> ActorPaths() =>
        [.. _systems.SelectMany(s => Walk(((ExtendedActorSystem)s).Guardian)).Select(a => a.Path.ToString())];

    /// <summary>Closes every live node gracefully and waits for them.</summary>
    public Task CloseNodesAsync() => Task.WhenAll(LiveNodes.Select(LeaveAsync));

    /// <summary>Closes every node, and terminates the systems the simulation made.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await CloseNodesAsync().ConfigureAwait(false);
        foreach (var link in Links) link.Cut("the simulation ended");
        foreach (var materializer in _materializers) (materializer as ActorMaterializer)?.Shutdown();
        if (_ownsSystems) await WhileTimePassesAsync(Task.WhenAll(_systems.Select(s => s.Terminate()))).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> to its end; on virtual time the clock moves on meanwhile, so its timers fire.</summary>
    private async Task WhileTimePassesAsync(Task work)
    {
        if (Clock is not { } clock)
        {
            await work.ConfigureAwait(false);
            return;
        }
        while (!work.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(work, Task.Delay(1)).ConfigureAwait(false);
        }
        await work.ConfigureAwait(false);
    }

    private void OnNodeEvent(SimulatedNode node, NodeEvent e)
    {
        if (e.Kind == NodeEventKind.PeerRemoved && _options.RejoinWhenIsolated && node.IsAlive && node.DirectPeers.Count == 0)
            _ = RejoinAsync(node, LiveNodes.Where(n => n != node && n.DirectPeers.Count > 0).ToList());
    }

    /// <summary>Nodes cut off from the largest part of their partition (alone, or in a small island) dial back into it.</summary>
    private void RejoinStragglers(PeerGraph graph)
    {
        if (!_options.RejoinWhenIsolated || graph.Components.Count < 2) return;
        var live = LiveNodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var group in live.Values.GroupBy(n => PartitionOf(n.Name)))
        {
            var members = group.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            var main = graph.Components.OrderByDescending(c => c.Count(members.Contains)).First();
            var inMain = main.Where(members.Contains).Select(n => live[n]).ToList();
            foreach (var node in group.Where(n => !main.Contains(n.Name) && HasLinked(n))) _ = RejoinAsync(node, inMain);
        }
    }

    private bool HasLinked(SimulatedNode node) => node.Events.Any(e => e.Kind == NodeEventKind.PeerAdded);

    /// <summary>Dials a random node of <paramref name="into"/> in its partition, as a real node re-dials its bootstrap address.</summary>
    private async Task RejoinAsync(SimulatedNode node, IReadOnlyList<SimulatedNode> into)
    {
        if (_disposed == 1 || !node.IsAlive) return;
        var others = into.Where(n => n != node && n.IsAlive && SamePartition(n.Name, node.Name)).ToList();
        if (others.Count == 0) return;
        lock (_rejoining)
        {
            if (!_rejoining.Add(node.Name)) return; // one at a time per node
        }
        SimulatedNode target;
        lock (_random) target = others[_random.Next(others.Count)];
        try
        {
            await ConnectAsync(node, target).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The next look tries again; a wait that times out says what went wrong.
            lock (_rejoining) _rejoinFailures[node.Name] = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            lock (_rejoining) _rejoining.Remove(node.Name);
        }
    }

    private List<(SimulatedLink Link, SimulatedNode A, SimulatedNode B)> LinkEntries()
    {
        lock (_gate) return [.. _links];
    }

    private List<SimulatedLink> LinksOf(SimulatedNode node) => [.. LinkEntries().Where(l => l.A == node || l.B == node).Select(l => l.Link)];

    private bool SamePartition(string a, string b) => PartitionOf(a) == PartitionOf(b);

    private int PartitionOf(string node)
    {
        lock (_gate) return _partition.GetValueOrDefault(node);
    }

    private IMaterializer MaterializerOf(SimulatedNode node)
    {
        lock (_gate) return _materializers[_nodes.IndexOf(node) % _materializers.Count];
    }

    private PeerExchangeOptions NodeOptions(string name, int targetPeers, PeerExchangeOptions? options)
    {
        // A copy of the caller's options with what the simulation owns: this node's WebRTC, the clock, the target.
        var given = options ?? _options.Node ?? new PeerExchangeOptions();
        return given with
        {
            Config = given.Config is { } own ? own.WithFallback(global::PxpActors.Simulation.NodeDefaults.Config) : global::PxpActors.Simulation.NodeDefaults.Config,
            TargetPeers = targetPeers,
            WebRtc = WebRtc.FactoryFor(name),
            TimeProvider = Time,
        };
    }

    private static int CountActors(IActorRef actor) => Walk(actor).Count();

    private static IEnumerable<IActorRef> Walk(IActorRef actor) =>
        actor is ActorRefWithCell cell ? cell.Children.SelectMany(Walk).Prepend(actor) : [actor];
}
