using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// Waves of raw PXP peers that connect, and then each do one of: handshake and leave; handshake, getpeers and
/// leave; send a frame of type 7, an oversized frame or an invalid RPC line (the host must close them); send no
/// magic (HTTP instead); or leave in the middle of a frame. All of a wave's peers are closed before the next.
/// </summary>
public sealed class ChurnScenario(int waves, int peersPerWave, int concurrency) : ISoakScenario
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public string Name => "churn";

    public async Task<SoakOutcome> RunAsync(SoakTarget target, CancellationToken cancel)
    {
        var counter = new OutcomeCounter();
        for (var wave = 0; wave < waves; wave++)
        {
            var first = wave * peersPerWave;
            await Parallel.ForEachAsync(Enumerable.Range(first, peersPerWave),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancel },
                async (i, _) =>
                {
                    try
                    {
                        counter.Count(await BehaveAsync(i, target).ConfigureAwait(false));
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        counter.Fail($"peer {i}", e);
                    }
                }).ConfigureAwait(false);
        }
        return counter.Outcome($"{waves} waves of {peersPerWave} peers");
    }

    private static async Task<string> BehaveAsync(int i, SoakTarget target)
    {
        await using var peer = await RawPxpPeer.ConnectAsync(target.Address).ConfigureAwait(false);
        switch (i % 7)
        {
            case 0:
                await peer.StartSessionAsync(target.Network).ConfigureAwait(false);
                await peer.ReceiveAsync<Hello>(timeout: Patience).ConfigureAwait(false);
                return "handshakes";
            case 1:
                await peer.StartSessionAsync(target.Network).ConfigureAwait(false);
                var nonce = peer.NextNonce();
                await peer.SendRpcAsync(new GetPeers(nonce, target.Network)).ConfigureAwait(false);
                await peer.ReceiveAsync<Response>(r => r.Nonce == nonce, Patience).ConfigureAwait(false);
                return "getpeers";
            case 2:
                await peer.SendAsync((byte[])[.. PxpMagic.Bytes, 0x07, 0x00]).ConfigureAwait(false);
                await peer.WaitClosedAsync(Patience).ConfigureAwait(false);
                return "type-7 frames closed";
            case 3:
                await peer.SendAsync((byte[])[.. PxpMagic.Bytes, 0x02, 0x80, 0x80, 0x80, 0x01]).ConfigureAwait(false); // 2 MiB claimed
                await peer.WaitClosedAsync(Patience).ConfigureAwait(false);
                return "oversized frames closed";
            case 4:
                await peer.StartSessionAsync(target.Network).ConfigureAwait(false);
                await peer.SendLineAsync("{\"not\":\"an rpc array\"").ConfigureAwait(false);
                await peer.WaitClosedAsync(Patience).ConfigureAwait(false);
                return "bad rpc closed";
            case 5:
                await peer.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray()).ConfigureAwait(false);
                await peer.WaitClosedAsync(Patience).ConfigureAwait(false);
                return "no magic closed";
            default:
                await peer.StartSessionAsync(target.Network).ConfigureAwait(false);
                await peer.SendAsync(new Frame(0, FrameType.DataFromCreator, new byte[4000]).ToArray().AsMemory(0, 2000)).ConfigureAwait(false);
                return "left mid-frame";
        }
    }
}
