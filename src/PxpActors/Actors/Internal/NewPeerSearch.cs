using Akka.Actor;
using PxpActors.Protocol.Rpc;

namespace PxpActors.Actors.Internal;

/// <summary>
/// getNewPeer's steps, run outside the exchange actor (they touch no actor state, only the refs they are given): ask a
/// random peer for candidates, let the exchange choose one, relay to it through that peer, and upgrade the relay to
/// WebRTC when the candidate speaks PXP. A candidate that refuses for being full is followed by another of the same list
/// (a few at most); a failed attempt is retried through another random peer, one not asked yet while there is one, while
/// time is left.
/// </summary>
internal static class NewPeerSearch
{
    private const int MaxAttempts = 5;
    private const int MaxPicksPerList = 3;

    /// <summary>As <see cref="RunAsync"/>, counted and timed in the getNewPeer metrics (a real duration: on the real clock).</summary>
    public static async Task<PxpExchange.Connected> RunMeasuredAsync(IActorRef exchange, IReadOnlyList<(IActorRef Actor, PeerInfo Info)> peers,
        ExchangeSettings settings, TimeProvider time, Func<TimeSpan, PreparedPeerConnection?> prepareOffer)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var connected = await RunAsync(exchange, peers, settings, time, prepareOffer).ConfigureAwait(false);
            outcome = "ok";
            return connected;
        }
        finally
        {
            Diagnostics.PxpMetrics.GetNewPeerDuration.Record(Diagnostics.PxpMetrics.SecondsSince(started));
            Diagnostics.PxpMetrics.GetNewPeer.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    // prepareOffer starts our peer connection and its offer ahead of the relay (null when it cannot be made).
    public static async Task<PxpExchange.Connected> RunAsync(IActorRef exchange, IReadOnlyList<(IActorRef Actor, PeerInfo Info)> peers,
        ExchangeSettings settings, TimeProvider time, Func<TimeSpan, PreparedPeerConnection?> prepareOffer)
    {
        var started = time.GetTimestamp();
        TimeSpan Remaining() => settings.GetNewPeerTimeout - time.GetElapsedTime(started);
        Exception? last = null;
        var untried = new List<(IActorRef Actor, PeerInfo Info)>(peers);
        for (var attempt = 0; attempt < MaxAttempts && Remaining() > TimeSpan.Zero; attempt++)
        {
            // Each peer is asked once before any is asked again: a peer whose candidates were all unusable would most
            // likely offer the same ones again.
            if (untried.Count == 0) untried.AddRange(peers);
            var asked = untried[Random.Shared.Next(untried.Count)];
            untried.Remove(asked);
            // Attempts refused because others were upgrading with the same nodes go again a little later, at random, so
            // the contenders do not meet again at once.
            if (attempt > 0) await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), time).ConfigureAwait(false);
            try
            {
                return await AttemptAsync(exchange, asked, settings, Remaining, time, prepareOffer).ConfigureAwait(false);
            }
            catch (Exception e) when (e is PxpRequestException or AskTimeoutException or TimeoutException
                                          or WebRtc.PeerConnections.PeerConnectionException or Protocol.PxpProtocolException)
            {
                last = e;
            }
        }
        if (last is not null && Remaining() > TimeSpan.Zero) throw last;
        throw new PxpRequestException(
            $"getNewPeer did not find a new peer within {settings.GetNewPeerTimeout.TotalSeconds:0.###} s (pxp.get-new-peer-timeout)" +
            (last is null ? "" : $"; the last attempt: {last.Message}"), last);
    }

    private static async Task<PxpExchange.Connected> AttemptAsync(IActorRef exchange, (IActorRef Actor, PeerInfo Info) asked,
        ExchangeSettings settings, Func<TimeSpan> remaining, TimeProvider time, Func<TimeSpan, PreparedPeerConnection?> prepareOffer)
    {
        // Our side of the upgrade (sockets, threads, DTLS, the offer) starts now, alongside getpeers and the relay, rather
        // than after them. The upgrade claims it; when this attempt ends without that, it is released here.
        var offer = prepareOffer(remaining());
        try
        {
            return await AttemptAsync(exchange, asked, settings, remaining, time, offer).ConfigureAwait(false);
        }
        finally
        {
            _ = offer?.ReleaseUnlessClaimedAsync();
        }
    }

    private static async Task<PxpExchange.Connected> AttemptAsync(IActorRef exchange, (IActorRef Actor, PeerInfo Info) asked,
        ExchangeSettings settings, Func<TimeSpan> remaining, TimeProvider time, PreparedPeerConnection? offer)
    {
        var peer = asked.Actor;
        var wait = Cap(settings.RequestTimeout, remaining());
        PxpExchange.CandidateList list;
        try
        {
            list = await peer.Ask<PxpExchange.CandidateList>(new RequestCandidates(), wait).ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new PxpRequestException($"Peer {ExchangeActor.Name(asked.Info)} did not answer getpeers within {wait.TotalSeconds:0.#} s", e);
        }
        // A candidate full of peers (pxp.max-peers) refuses at once: another of the same list is likelier to take us than
        // a new list from another peer, so a few go before this attempt gives up.
        var candidates = list.Candidates;
        for (var pick = 1; ; pick++)
        {
            var chosen = await exchange.Ask<CandidateChosen>(new ChooseCandidate(candidates), settings.RequestTimeout).ConfigureAwait(false);
            var candidate = chosen.Candidate;
            var full = false;
            try
            {
                return await ConnectAsync(exchange, peer, candidate, settings, remaining, time, offer).ConfigureAwait(false);
            }
            catch (PxpRequestException e) when (PeerLimit.IsRefusal(e))
            {
                full = true;
                candidates = candidates.Where(c => !ReferenceEquals(c, candidate)).ToList();
                if (pick == MaxPicksPerList || candidates.Count == 0 || remaining() <= TimeSpan.Zero) throw;
            }
            finally
            {
                exchange.Tell(new CandidateReleased(candidate.ConnectInfo?.NodeId, full));
            }
        }
    }

    private static async Task<PxpExchange.Connected> ConnectAsync(IActorRef exchange, IActorRef peer, Candidate candidate,
        ExchangeSettings settings, Func<TimeSpan> remaining, TimeProvider time, PreparedPeerConnection? offer)
    {
        var relay = await OpenRelayAsync(peer, candidate, settings, remaining(), time).ConfigureAwait(false);
        if (candidate.ConnectInfo?.Pxp != true)
            return new PxpExchange.Connected(new PxpConnection(null, false, "relay", relay.Stream));
        // The upgrade is bounded by what is left of the timeout (the exchange's side enforces it); once its channel is
        // open, the new session's handshake and connect are bounded by their own timeouts, so this ask never gives up first.
        var bound = remaining() + settings.HandshakeTimeout + settings.RequestTimeout + TimeSpan.FromSeconds(5);
        return await exchange.Ask<PxpExchange.Connected>(new UpgradeRelay(relay.Stream, candidate, remaining(), offer), bound)
            .ConfigureAwait(false);
    }

    /// <summary>The relay, or a timeout when time runs out first; a relay that opens after that is closed, never left open.</summary>
    private static async Task<RelayOpened> OpenRelayAsync(IActorRef peer, Candidate candidate, ExchangeSettings settings, TimeSpan remaining,
        TimeProvider time)
    {
        // The session's own request timeout ends the relay request: this ask outlives it, so its reply always arrives.
        var relay = peer.Ask<RelayOpened>(new RequestRelay(candidate), settings.RequestTimeout + TimeSpan.FromSeconds(5));
        try
        {
            return await relay.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = relay.ContinueWith(t => t.Result.Stream.Close(), TaskContinuationOptions.OnlyOnRanToCompletion);
            throw;
        }
    }

    private static TimeSpan Cap(TimeSpan timeout, TimeSpan remaining) =>
        remaining <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : remaining < timeout ? remaining : timeout;
}
