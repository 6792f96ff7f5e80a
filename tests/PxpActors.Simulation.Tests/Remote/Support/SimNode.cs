using System.Threading.Channels;
using Akka.Actor;
using PxpActors.Actors;

namespace PxpActors.Simulation.Tests.Remote.Support;

/// <summary>A PXP node running in a given ActorSystem, its events recorded for awaiting.</summary>
public sealed class SimNode : IAsyncDisposable
{
    private readonly Channel<PxpConnection> _connections = Channel.CreateUnbounded<PxpConnection>();
    private readonly Channel<(PeerInfo Peer, Exception? Reason)> _removed = Channel.CreateUnbounded<(PeerInfo, Exception?)>();

    public SimNode(ActorSystem system, string network = "sim", PeerExchangeOptions? options = null)
    {
        Exchange = new PeerExchange(network, options, system);
        Exchange.Connected += c => _connections.Writer.TryWrite(c);
        Exchange.PeerRemoved += (p, reason) => _removed.Writer.TryWrite((p, reason));
    }

    public PeerExchange Exchange { get; }

    public async Task<PxpConnection> NextConnectionAsync(Func<PxpConnection, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(Await.Timeout);
        while (true)
        {
            var next = await _connections.Reader.ReadAsync(cts.Token);
            if (match is null || match(next)) return next;
        }
    }

    public async Task<(PeerInfo Peer, Exception? Reason)> NextPeerRemovedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Await.Timeout);
        return await _removed.Reader.ReadAsync(cts.Token);
    }

    public Task<PxpExchange.Stats> StatsAsync() => Exchange.GetStatsAsync();

    public Task WaitForStatsAsync(Func<PxpExchange.Stats, bool> expected, string what, TimeSpan? timeout = null) =>
        Await.UntilAsync(async () => expected(await StatsAsync()), what, timeout);

    public ValueTask DisposeAsync() => Exchange.DisposeAsync();
}
