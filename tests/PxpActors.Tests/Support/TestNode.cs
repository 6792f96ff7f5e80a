using System.Threading.Channels;
using Akka.Actor;
using PxpActors.Actors;

namespace PxpActors.Tests.Support;

/// <summary>A node under test listening on loopback TCP, with its events recorded for awaiting.</summary>
public sealed class TestNode : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<PxpConnection> _connections = Channel.CreateUnbounded<PxpConnection>();
    private readonly Channel<(PeerInfo? Peer, Exception Error)> _peerErrors = Channel.CreateUnbounded<(PeerInfo?, Exception)>();
    private readonly Channel<PeerInfo> _added = Channel.CreateUnbounded<PeerInfo>();
    private readonly Channel<PeerInfo> _removed = Channel.CreateUnbounded<PeerInfo>();

    private TestNode(PeerExchange exchange, Uri address)
    {
        Exchange = exchange;
        Address = address;
    }

    public PeerExchange Exchange { get; }

    /// <summary>Every session error so far, for a failing test's message.</summary>
    public IReadOnlyList<string> ErrorLog => [.. _errorLog];

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errorLog = new();

    public Uri Address { get; }

    /// <param name="listen">Where it listens: loopback TCP, any free port, unless given.</param>
    /// <param name="system">The ActorSystem to run in (the caller terminates it), for example one on virtual time; its own by default.</param>
    public static async Task<TestNode> StartAsync(string network = "test", PeerExchangeOptions? options = null, Uri? listen = null,
        ActorSystem? system = null)
    {
        var exchange = new PeerExchange(network, options, system);
        var address = await exchange.ListenAsync(listen ?? new Uri("tcp://127.0.0.1:0"));
        var node = new TestNode(exchange, address);
        exchange.Connected += c => node._connections.Writer.TryWrite(c);
        exchange.PeerError += (p, e) =>
        {
            node._peerErrors.Writer.TryWrite((p, e));
            node._errorLog.Enqueue($"{p?.Id}: {e.Message}");
        };
        exchange.PeerAdded += p => node._added.Writer.TryWrite(p);
        exchange.PeerRemoved += (p, _) => node._removed.Writer.TryWrite(p);
        return node;
    }

    public async Task<PxpConnection> NextConnectionAsync(Func<PxpConnection, bool>? match = null) =>
        await Next(_connections, match);

    public async Task<Exception> NextPeerErrorAsync() => (await Next(_peerErrors)).Error;

    public async Task<PeerInfo> NextPeerAddedAsync(Func<PeerInfo, bool>? match = null) => await Next(_added, match);

    public async Task<PeerInfo> NextPeerRemovedAsync() => await Next(_removed);

    public Task<PxpExchange.Stats> StatsAsync() => Exchange.Actor.Ask<PxpExchange.Stats>(new PxpExchange.GetStats(), Timeout);

    /// <summary>Waits until the node holds exactly <paramref name="sessions"/> session actors.</summary>
    public Task WaitForSessionsAsync(int sessions) => WaitForStatsAsync(s => s.Sessions == sessions, $"{sessions} sessions");

    /// <summary>Waits until the node's <see cref="PxpExchange.Stats"/> match <paramref name="expected"/>.</summary>
    public async Task WaitForStatsAsync(Func<PxpExchange.Stats, bool> expected, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        PxpExchange.Stats stats;
        while (!expected(stats = await StatsAsync()))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Expected {what}, the node has {stats}");
            await Task.Yield();
            await Task.Delay(10); // polling an actor's state: the condition itself is what we wait for
        }
    }

    private static async Task<T> Next<T>(Channel<T> channel, Func<T, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var item = await channel.Reader.ReadAsync(cts.Token);
            if (match is null || match(item)) return item;
        }
    }

    public ValueTask DisposeAsync() => Exchange.DisposeAsync();
}
