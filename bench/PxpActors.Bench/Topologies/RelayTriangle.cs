namespace PxpActors.Bench.Topologies;

/// <summary>
/// Nodes A and B, both connected over TCP to a hub whose relay throttle is off, and also to each other
/// directly. A asks the hub for candidates, relays to B through it and runs a nested PXP session over
/// the relayed bytes; the application connection of that session is the relayed path, the one of the
/// direct session its baseline. Every node has its own actor system.
/// </summary>
public sealed class RelayTriangle : IAsyncDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private readonly PeerExchange[] _nodes;

    private RelayTriangle(PeerExchange[] nodes, StreamPair direct, StreamPair relayed)
    {
        _nodes = nodes;
        Direct = direct;
        Relayed = relayed;
    }

    /// <summary>A writes, B reads, over their direct TCP session.</summary>
    public StreamPair Direct { get; }

    /// <summary>A writes, B reads, through the hub.</summary>
    public StreamPair Relayed { get; }

    public static async Task<RelayTriangle> OpenAsync(string network = "bench")
    {
        var hub = new PeerExchange(network, new PeerExchangeOptions { RelayBytesPerSecond = 0 });
        var a = new PeerExchange(network);
        var b = new PeerExchange(network);
        PeerExchange[] nodes = [a, b, hub];
        try
        {
            var hubAddress = await hub.ListenAsync(new Uri("tcp://127.0.0.1:0")).ConfigureAwait(false);
            var bAddress = await b.ListenAsync(new Uri("tcp://127.0.0.1:0")).ConfigureAwait(false);
            await b.ConnectAsync(hubAddress).WaitAsync(StepTimeout).ConfigureAwait(false);
            var aToHub = await a.ConnectAsync(hubAddress).WaitAsync(StepTimeout).ConfigureAwait(false);
            var hubPeer = aToHub.Peer ?? throw new InvalidOperationException("A's session with the hub has no peer info");

            var candidates = await a.GetPeersAsync(hubPeer).WaitAsync(StepTimeout).ConfigureAwait(false);
            if (candidates.Count != 1)
                throw new InvalidOperationException($"The hub offered {candidates.Count} candidates; expected B alone");
            var relayedAtB = IncomingConnections.Next(b, "relay");
            var relayedBytes = await a.RelayAsync(hubPeer, candidates[0]).WaitAsync(StepTimeout).ConfigureAwait(false);
            var relayedAtA = await a.ConnectAsync(relayedBytes, "relay").WaitAsync(StepTimeout).ConfigureAwait(false);
            var relayed = new StreamPair(relayedAtA.OpenStream(),
                (await relayedAtB.WaitAsync(StepTimeout).ConfigureAwait(false)).OpenStream());

            var directAtB = IncomingConnections.Next(b, "tcp");
            var directAtA = await a.ConnectAsync(bAddress).WaitAsync(StepTimeout).ConfigureAwait(false);
            var direct = new StreamPair(directAtA.OpenStream(),
                (await directAtB.WaitAsync(StepTimeout).ConfigureAwait(false)).OpenStream());
            return new RelayTriangle(nodes, direct, relayed);
        }
        catch
        {
            foreach (var node in nodes) await node.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Direct.DisposeAsync().ConfigureAwait(false);
        await Relayed.DisposeAsync().ConfigureAwait(false);
        foreach (var node in _nodes) await node.CloseAsync().ConfigureAwait(false);
    }
}
