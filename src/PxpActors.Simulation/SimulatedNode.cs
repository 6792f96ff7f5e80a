using Akka.Actor;
using PxpActors.Actors;
using PxpActors.Simulation.Observation;

namespace PxpActors.Simulation;

/// <summary>One node of a <see cref="Simulation"/>: a real <see cref="PeerExchange"/>, its name, and what it has seen.</summary>
public sealed class SimulatedNode
{
    private const int KeptEvents = 256;
    private readonly Queue<NodeEvent> _events = new();
    private readonly TimeProvider _clock;
    private volatile bool _alive = true;

    internal SimulatedNode(string name, PeerExchange exchange, TimeProvider clock)
    {
        Name = name;
        Exchange = exchange;
        _clock = clock;
        exchange.PeerAdded += peer => Record(NodeEventKind.PeerAdded, peer, null);
        exchange.PeerRemoved += (peer, reason) => Record(NodeEventKind.PeerRemoved, peer, reason);
        exchange.PeerError += (peer, error) => Record(NodeEventKind.PeerFailed, peer, error);
    }

    /// <summary>The node's name in the simulation (node-0, node-1, … unless given).</summary>
    public string Name { get; }

    /// <summary>The node's exchange: everything a real node offers (getNewPeer, connections, stats).</summary>
    public PeerExchange Exchange { get; }

    /// <summary>The id the node announces to its peers.</summary>
    public string NodeId => Exchange.NodeId;

    /// <summary>False once the node crashed or left.</summary>
    public bool IsAlive => _alive;

    /// <summary>Its direct peers (sessions over a link or WebRTC, not relayed ones).</summary>
    public IReadOnlyList<PeerInfo> DirectPeers => [.. Exchange.Peers.Where(p => !p.Relayed)];

    /// <summary>The last 256 things that happened to the node, oldest first.</summary>
    public IReadOnlyList<NodeEvent> Events
    {
        get
        {
            lock (_events) return [.. _events];
        }
    }

    /// <summary>Raised for each event as it happens (on an actor thread: keep handlers short).</summary>
    public event Action<SimulatedNode, NodeEvent>? EventRaised;

    /// <summary>
    /// Sends the exchange's events (<see cref="PxpExchange.IExchangeEvent"/>) to <paramref name="subscriber"/>, for example an
    /// Akka.TestKit probe: <c>node.Subscribe(probe.Ref); probe.ExpectMsg&lt;PxpExchange.PeerAdded&gt;()</c>.
    /// </summary>
    public void Subscribe(IActorRef subscriber) => Exchange.Actor.Tell(new PxpExchange.Subscribe(subscriber));

    /// <summary>Relays this node serves as the hub, sessions and streams, as its exchange counts them.</summary>
    public Task<PxpExchange.Stats> GetStatsAsync(CancellationToken cancellationToken = default) => Exchange.GetStatsAsync(cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({(IsAlive ? $"{DirectPeers.Count} peers" : "down")})";

    internal void MarkDown() => _alive = false;

    private void Record(NodeEventKind kind, PeerInfo? peer, Exception? error)
    {
        var e = new NodeEvent(_clock.GetUtcNow(), kind, peer, error);
        lock (_events)
        {
            if (_events.Count == KeptEvents) _events.Dequeue();
            _events.Enqueue(e);
        }
        EventRaised?.Invoke(this, e);
    }
}
