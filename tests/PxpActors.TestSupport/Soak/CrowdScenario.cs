using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// Many peers at once: each connects and handshakes, and all stay connected until the last one has tried, then all
/// close. Run against a host under a lowered file limit, the crowd is larger than the limit: the host must refuse
/// or drop what it cannot hold and keep accepting once the crowd is gone.
/// </summary>
public sealed class CrowdScenario(int peers, int concurrency) : ISoakScenario
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public string Name => "crowd";

    public async Task<SoakOutcome> RunAsync(SoakTarget target, CancellationToken cancel)
    {
        var counter = new OutcomeCounter();
        var crowd = new List<RawPxpPeer>();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, peers),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancel },
                async (_, _) =>
                {
                    RawPxpPeer? peer = null;
                    try
                    {
                        peer = await RawPxpPeer.ConnectAsync(target.Address).ConfigureAwait(false);
                        lock (crowd) crowd.Add(peer);
                        await peer.StartSessionAsync(target.Network).ConfigureAwait(false);
                        await peer.ReceiveAsync<Hello>(timeout: Patience).ConfigureAwait(false);
                        counter.Count("peers held");
                    }
                    catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException)
                    {
                        // Past what the host can hold: refused, dropped or never answered. Counted, not a failure.
                        counter.Count(peer is null ? "connects refused" : "handshakes not answered");
                    }
                }).ConfigureAwait(false);
        }
        finally
        {
            foreach (var peer in crowd) await peer.DisposeAsync().ConfigureAwait(false);
        }
        return counter.Outcome($"{peers} peers at once");
    }
}
