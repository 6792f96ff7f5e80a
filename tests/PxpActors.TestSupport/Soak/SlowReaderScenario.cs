using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// Peers that handshake, open their application stream and never read: each sends getpeers requests and then
/// data (which an echoing host writes back at them) until a write stalls, meaning the host stopped reading
/// because it could not write. The host must hold them with bounded memory; then they all close at once.
/// </summary>
public sealed class SlowReaderScenario(int peers, int bytesPerPeer, int getPeersPerPeer) : ISoakScenario
{
    private const int ChunkSize = 16 * 1024;
    private const uint DataChannel = 1;

    /// <summary>A write that takes this long means the host applies backpressure.</summary>
    private static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(2);

    public string Name => "slow-readers";

    public async Task<SoakOutcome> RunAsync(SoakTarget target, CancellationToken cancel)
    {
        var counter = new OutcomeCounter();
        var open = new List<RawPxpPeer>();
        var stuckWrites = new List<Task>();
        try
        {
            for (var i = 0; i < peers; i++)
            {
                var peer = await RawPxpPeer.ConnectAsync(target.Address, read: false).ConfigureAwait(false);
                open.Add(peer);
                await peer.StartSessionAsync(target.Network).ConfigureAwait(false);
                await peer.SendRpcAsync(new Connect(peer.NextNonce(), target.Network)).ConfigureAwait(false);
                await peer.SendFrameAsync(DataChannel, FrameType.Open, System.Text.Encoding.UTF8.GetBytes("data:" + target.Network)).ConfigureAwait(false);
            }
            await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancel }, async (peer, _) =>
            {
                try
                {
                    var stuck = await FloodAsync(peer, target.Network).ConfigureAwait(false);
                    if (stuck is null) counter.Count("peers sent everything");
                    else
                    {
                        counter.Count("peers held back by the host");
                        lock (stuckWrites) stuckWrites.Add(stuck);
                    }
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                {
                    counter.Count("peers closed by the host");
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            foreach (var peer in open) await peer.DisposeAsync().ConfigureAwait(false);
            // Writes the host never took fail once their socket is closed; observe them.
            foreach (var write in stuckWrites)
            {
                try
                {
                    await write.ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                    // The write we gave up on, ended by our own close.
                }
            }
        }
        return counter.Outcome($"{peers} peers, {bytesPerPeer / 1024} KiB and {getPeersPerPeer} getpeers each, never reading");
    }

    /// <summary>Sends the requests and the data; returns the write still pending when the host stopped reading, or null.</summary>
    private async Task<Task?> FloodAsync(RawPxpPeer peer, string network)
    {
        for (var i = 0; i < getPeersPerPeer; i++)
            if (await Stalls(peer.SendRpcAsync(new GetPeers(peer.NextNonce(), network))).ConfigureAwait(false) is { } stuck) return stuck;
        var chunk = new byte[ChunkSize];
        Array.Fill(chunk, (byte)'s');
        for (var sent = 0; sent < bytesPerPeer; sent += ChunkSize)
            if (await Stalls(peer.SendFrameAsync(DataChannel, FrameType.DataFromCreator, chunk)).ConfigureAwait(false) is { } stuck) return stuck;
        return null;
    }

    private static async Task<Task?> Stalls(Task write)
    {
        if (await Task.WhenAny(write, Task.Delay(StallAfter)).ConfigureAwait(false) == write)
        {
            await write.ConfigureAwait(false);
            return null;
        }
        return write;
    }
}
