using System.Collections.Concurrent;
using System.Threading.Channels;
using PxpActors.Actors;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// One of our nodes in an interop test: a <see cref="PeerExchange"/> listening on loopback TCP (unless
/// told not to), with every event recorded so a test can await it instead of sleeping.
/// </summary>
internal sealed class OurNode : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Channel<PxpConnection> _connections = Channel.CreateUnbounded<PxpConnection>();
    private readonly Channel<PeerInfo> _added = Channel.CreateUnbounded<PeerInfo>();
    private readonly Channel<PeerInfo> _removed = Channel.CreateUnbounded<PeerInfo>();
    private readonly ConcurrentQueue<(PeerInfo? Peer, Exception Error)> _peerErrors = new();
    private readonly object _gate = new();
    private TaskCompletionSource _peersChanged = NewSignal();

    private OurNode(PeerExchange exchange)
    {
        Exchange = exchange;
        exchange.Connected += c => _connections.Writer.TryWrite(c);
        exchange.PeerAdded += p =>
        {
            _added.Writer.TryWrite(p);
            SignalPeersChanged();
        };
        exchange.PeerRemoved += (p, _) =>
        {
            _removed.Writer.TryWrite(p);
            SignalPeersChanged();
        };
        exchange.PeerError += (p, e) => _peerErrors.Enqueue((p, e));
    }

    public PeerExchange Exchange { get; }

    /// <summary>The address we listen on (null when not listening).</summary>
    public Uri? Address { get; private set; }

    public int Port => Address?.Port ?? throw new InvalidOperationException("This node does not listen");

    /// <summary>Hello without our node id, so the node's bytes can be compared with the reference's byte for byte.</summary>
    public static Akka.Configuration.Config ReferenceHello { get; } = Akka.Configuration.ConfigurationFactory.ParseString("pxp.announce-node-id = off");

    /// <param name="referenceBytes">Speak exactly the reference's bytes (no node id in hello: <see cref="ReferenceHello"/>).</param>
    /// <param name="at">Where it listens (loopback TCP, any free port, unless given).</param>
    public static async Task<OurNode> StartAsync(string network, PeerExchangeOptions? options = null, bool listen = true,
        bool referenceBytes = false, Uri? at = null)
    {
        if (referenceBytes) options = new PeerExchangeOptions { AllowIncoming = options?.AllowIncoming, Config = ReferenceHello };
        var node = new OurNode(new PeerExchange(network, options));
        if (listen) node.Address = await node.Exchange.ListenAsync(at ?? new Uri("tcp://127.0.0.1:0"));
        return node;
    }

    public Uri UriOf(int port) => new($"tcp://127.0.0.1:{port}");

    public Task<PxpConnection> NextConnectionAsync(Func<PxpConnection, bool>? match = null) =>
        NextAsync(_connections, match, "an application connection");

    public Task<PeerInfo> NextPeerAddedAsync(Func<PeerInfo, bool>? match = null) => NextAsync(_added, match, "a peer to be added");

    public Task<PeerInfo> NextPeerRemovedAsync(Func<PeerInfo, bool>? match = null) => NextAsync(_removed, match, "a peer to be removed");

    /// <summary>Session errors reported so far (for "nothing went wrong" checks and failure messages).</summary>
    public IReadOnlyList<(PeerInfo? Peer, Exception Error)> PeerErrors => [.. _peerErrors];

    /// <summary>Waits (on the peer events, not by polling) until the node has exactly <paramref name="count"/> ready peers.</summary>
    public async Task WaitForPeerCountAsync(int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            Task changed;
            lock (_gate) changed = _peersChanged.Task;
            if (Exchange.Peers.Count == count) return;
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} peers, the node has {Exchange.Peers.Count}: " +
                    string.Join(", ", Exchange.Peers.Select(p => p.Id)));
            }
        }
    }

    /// <summary>Waits until the node's <see cref="PxpExchange.Stats"/> match <paramref name="expected"/>.</summary>
    public async Task<PxpExchange.Stats> WaitForStatsAsync(Func<PxpExchange.Stats, bool> expected, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        PxpExchange.Stats stats;
        while (!expected(stats = await Exchange.GetStatsAsync()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Expected {what}, the node has {stats}");
            await Task.Delay(10); // polling an actor's state: the condition itself is what we wait for
        }
        return stats;
    }

    public ValueTask DisposeAsync() => Exchange.DisposeAsync();

    private void SignalPeersChanged()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            signal = _peersChanged;
            _peersChanged = NewSignal();
        }
        signal.TrySetResult();
    }

    private static async Task<T> NextAsync<T>(Channel<T> channel, Func<T, bool>? match, string description)
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            while (true)
            {
                var item = await channel.Reader.ReadAsync(cts.Token);
                if (match is null || match(item)) return item;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out after {Timeout} waiting for {description}");
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
