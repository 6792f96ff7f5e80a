using System.Text;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// Many relays through the host between raw peers. Targets accept incoming relays and accept, refuse or ignore
/// (the host's request times out) the host's <c>incoming</c> in turn; askers, which accept no incoming relays
/// themselves, getpeers and then relay to candidates, to the same candidate twice in a row, and to ids that do not
/// exist, sending bytes on every relay that is granted. Everything closes at the end.
/// </summary>
public sealed class RelayStormScenario(int askers, int targets, int relaysPerAsker, TimeSpan relayPatience) : ISoakScenario
{
    private static readonly byte[] Greeting = Encoding.UTF8.GetBytes(new string('r', 1000));

    public string Name => "relay-storm";

    public async Task<SoakOutcome> RunAsync(SoakTarget target, CancellationToken cancel)
    {
        var counter = new OutcomeCounter();
        var targetPeers = new List<RawPxpPeer>();
        var askerPeers = new List<RawPxpPeer>();
        var responders = new List<Task>();
        try
        {
            for (var i = 0; i < targets; i++)
            {
                var peer = await RawPxpPeer.ConnectAsync(target.Address).ConfigureAwait(false);
                targetPeers.Add(peer);
                await peer.StartSessionAsync(target.Network).ConfigureAwait(false);
                await peer.ReceiveAsync<Hello>().ConfigureAwait(false);
                responders.Add(RespondAsync(peer, counter));
            }
            for (var i = 0; i < askers; i++)
            {
                var peer = await RawPxpPeer.ConnectAsync(target.Address).ConfigureAwait(false);
                askerPeers.Add(peer);
                await peer.StartSessionAsync(target.Network, acceptsIncoming: false).ConfigureAwait(false);
                await peer.ReceiveAsync<Hello>().ConfigureAwait(false);
            }
            await Parallel.ForEachAsync(askerPeers.Select((peer, index) => (peer, index)),
                new ParallelOptions { MaxDegreeOfParallelism = askers, CancellationToken = cancel },
                async (asker, _) =>
                {
                    try
                    {
                        await AskAsync(asker.peer, target.Network, counter).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        counter.Fail($"asker {asker.index}", e);
                    }
                }).ConfigureAwait(false);
        }
        finally
        {
            // Closing the targets ends their responders (their next receive finds the connection closed).
            foreach (var peer in askerPeers.Concat(targetPeers)) await peer.DisposeAsync().ConfigureAwait(false);
            await Task.WhenAll(responders).ConfigureAwait(false);
        }
        return counter.Outcome($"{askers} askers x {relaysPerAsker} relays to {targets} targets");
    }

    private async Task AskAsync(RawPxpPeer asker, string network, OutcomeCounter counter)
    {
        var candidates = await CandidatesAsync(asker, network).ConfigureAwait(false);
        uint channel = 1;
        var previous = candidates[0].Id;
        for (var r = 0; r < relaysPerAsker; r++)
        {
            var id = (r % 4) switch
            {
                2 => previous,      // the same candidate again
                3 => "00000000",    // no such candidate
                _ => candidates[r % candidates.Count].Id,
            };
            previous = id;
            var nonce = asker.NextNonce();
            await asker.SendRpcAsync(new Relay(nonce, id)).ConfigureAwait(false);
            Response reply;
            try
            {
                reply = await asker.ReceiveAsync<Response>(res => res.Nonce == nonce, relayPatience).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                counter.Count("relays unanswered");
                continue;
            }
            var status = Replies.ReadStatus(reply.Args);
            if (!status.IsSuccess)
            {
                counter.Count("relays refused");
                continue;
            }
            counter.Count("relays granted");
            var relay = channel++;
            await asker.SendFrameAsync(relay, FrameType.Open, Encoding.UTF8.GetBytes("relay:" + id)).ConfigureAwait(false);
            await asker.SendFrameAsync(relay, FrameType.DataFromCreator, Greeting).ConfigureAwait(false);
            if (r % 2 == 0) await asker.SendFrameAsync(relay, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
        }
    }

    /// <summary>The host's candidates, asked again until every target has joined (they connected before, but asynchronously).</summary>
    private async Task<IReadOnlyList<Candidate>> CandidatesAsync(RawPxpPeer asker, string network)
    {
        var deadline = DateTime.UtcNow + relayPatience;
        while (true)
        {
            var nonce = asker.NextNonce();
            await asker.SendRpcAsync(new GetPeers(nonce, network)).ConfigureAwait(false);
            var reply = await asker.ReceiveAsync<Response>(res => res.Nonce == nonce, relayPatience).ConfigureAwait(false);
            var candidates = Replies.ReadCandidates(reply.Args);
            if (candidates.IsSuccess && candidates.Value!.Count >= targets) return candidates.Value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"getpeers offered {candidates.Value?.Count ?? 0} of {targets} targets: {candidates.Error}");
        }
    }

    /// <summary>A target's answers to the host's incoming requests: accept, refuse, ignore, in turn.</summary>
    private static async Task RespondAsync(RawPxpPeer target, OutcomeCounter counter)
    {
        uint channel = 1;
        var turn = 0;
        try
        {
            while (true)
            {
                var incoming = await target.ReceiveAsync<Incoming>(timeout: Timeout.InfiniteTimeSpan).ConfigureAwait(false);
                switch (turn++ % 3)
                {
                    case 0:
                        await target.SendRpcAsync(new Response(incoming.Nonce, Replies.Ok)).ConfigureAwait(false);
                        var relay = channel++;
                        await target.SendFrameAsync(relay, FrameType.Open, Encoding.UTF8.GetBytes("relay:" + incoming.RelayId)).ConfigureAwait(false);
                        await target.SendFrameAsync(relay, FrameType.DataFromCreator, Greeting).ConfigureAwait(false);
                        counter.Count("incoming accepted");
                        break;
                    case 1:
                        await target.SendRpcAsync(new Response(incoming.Nonce, Replies.Error("busy"))).ConfigureAwait(false);
                        counter.Count("incoming refused");
                        break;
                    default:
                        counter.Count("incoming ignored");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The target was closed: its part is over.
        }
    }
}
