using Akka.Actor;
using PxpActors.Protocol;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.Sessions;
using PxpActors.Multiplexing;
using PxpActors.Relays;

namespace PxpActors.Actors.Internal;

/// <summary>
/// The requests of one session that go with a substream: ours (connect, relay, incoming, and getpeers without one) from
/// the substream's opening through the request to its reply or timeout, and the peer's (connect, incoming) from the
/// substream we open to answer them to that answer. Who waits for each hears its outcome. State of one PeerActor.
/// </summary>
internal sealed class SessionRequests(ExchangeSettings settings, SessionRpc rpc, IMultiplexer mux, IActorRef self, IActorRef exchange,
    IRequestingSession session)
{
    public void RequestCandidates(IActorRef replyTo) =>
        rpc.SendRequest(new GetPeers(rpc.NextNonce(), settings.NetworkId), new PendingRequest(replyTo));

    /// <summary>Our connect: "data:net" is registered before we ask, so bytes the peer sends right after its reply are kept.</summary>
    public void Connect(IActorRef? replyTo)
    {
        var nonce = rpc.NextNonce();
        rpc.AwaitSubstream(nonce, new PendingRequest(replyTo, Kind: RequestKind.Connect));
        OpenSubstream($"data:{settings.NetworkId}", nonce, awaitOpened: false);
    }

    /// <summary>Answers the peer's connect on "data:<paramref name="network"/>" once it is open.</summary>
    public void AcceptConnect(string nonce, string network)
    {
        rpc.AnswerOnceOpen(nonce, new PendingRequest(null, Kind: RequestKind.AcceptConnect));
        OpenSubstream($"data:{network}", nonce, awaitOpened: false, theirs: true);
    }

    /// <summary>As the asker: relay to <paramref name="candidate"/> through the peer. Reply: <see cref="RelayOpened"/>.</summary>
    public void Relay(Candidate candidate, IActorRef replyTo)
    {
        var nonce = rpc.NextNonce();
        rpc.AwaitSubstream(nonce, new PendingRequest(replyTo, Kind: RequestKind.Relay));
        OpenSubstream($"relay:{candidate.Id}", nonce, new Relay(nonce, candidate.Id));
    }

    /// <summary>As the hub: tell the peer a relay arrives on "relay:<paramref name="relayId"/>". Reply: <see cref="RelayOpened"/>.</summary>
    public void Incoming(string relayId, IActorRef replyTo)
    {
        var nonce = rpc.NextNonce();
        rpc.AwaitSubstream(nonce, new PendingRequest(replyTo, Kind: RequestKind.Incoming));
        OpenSubstream($"relay:{relayId}", nonce, new Incoming(nonce, relayId));
    }

    /// <summary>As the candidate: take the relayed session the peer carries on "relay:<paramref name="relayId"/>".</summary>
    public void AcceptIncoming(string nonce, string relayId)
    {
        rpc.AnswerOnceOpen(nonce, new PendingRequest(null, Kind: RequestKind.AcceptIncoming));
        OpenSubstream($"relay:{relayId}", nonce, theirs: true);
    }

    /// <summary>
    /// Opens a substream for our request <paramref name="nonce"/> (in the pending table), or for the reply to the peer's
    /// (<paramref name="theirs"/>, in the answering table).
    /// </summary>
    /// <remarks>
    /// The application stream goes on at once (<paramref name="awaitOpened"/> false): its name cannot clash,
    /// and a refusal fails the connection itself. A relay's name comes from the peer, so it waits for the stage.
    /// </remarks>
    private void OpenSubstream(string name, string nonce, PxpMessage? thenSend = null, bool awaitOpened = true, bool theirs = false)
    {
        var channel = mux.OpenChannel(name);
        if (!awaitOpened)
        {
            OnSubstreamOpened(new SubstreamFor(nonce, channel, thenSend, Theirs: theirs));
            return;
        }
        channel.Opened.PipeTo(self,
            success: () => new SubstreamFor(nonce, channel, thenSend, Theirs: theirs),
            failure: e => new SubstreamFor(nonce, null, thenSend, e, theirs));
    }

    public void OnSubstreamOpened(SubstreamFor opened)
    {
        if (!rpc.TryGetOpening(opened.Nonce, opened.Theirs, out var pending))
        {
            opened.Stream?.Close(); // its request is over already: nobody will use it
            return;
        }
        if (opened.Stream is null)
        {
            rpc.ForgetOpening(opened.Nonce, opened.Theirs);
            var error = opened.Error?.Message ?? "substream could not be opened";
            if (pending.Kind == RequestKind.AcceptIncoming) session.CarriedSessionRefused();
            pending.ReplyTo?.Tell(new Status.Failure(new PxpRequestException(error)));
            if (pending.Kind is RequestKind.AcceptConnect or RequestKind.AcceptIncoming)
                rpc.Reply(opened.Nonce, Replies.Error(error));
            return;
        }
        switch (pending.Kind)
        {
            case RequestKind.AcceptConnect:
                rpc.ForgetOpening(opened.Nonce, theirs: true);
                rpc.Reply(opened.Nonce, Replies.Ok); // a control frame: on the wire before any data the app writes
                session.ConnectionOpened(opened.Stream);
                break;
            case RequestKind.AcceptIncoming:
                rpc.ForgetOpening(opened.Nonce, theirs: true);
                rpc.Reply(opened.Nonce, Replies.Ok);
                exchange.Tell(new AddRelayedPeer(opened.Stream));
                break;
            case RequestKind.Connect:
                rpc.SendRequest(new Connect(opened.Nonce, settings.NetworkId), pending with { Stream = opened.Stream });
                break;
            default:
                rpc.SendRequest(opened.ThenSend!, pending with { Stream = opened.Stream });
                break;
        }
    }

    public void OnResponse(Response response)
    {
        if (!rpc.TryTakeReplied(response.Nonce, out var pending))
        {
            session.Fail(new PxpProtocolException($"Peer sent a reply for unknown request nonce \"{response.Nonce}\""));
            return;
        }
        switch (pending.Kind)
        {
            case RequestKind.GetPeers:
                var candidates = Replies.ReadCandidates(response.Args);
                SessionRpc.Count("getpeers", "out", candidates.IsSuccess ? "ok" : "error");
                pending.ReplyTo?.Tell(candidates.IsSuccess
                    ? new PxpExchange.CandidateList(candidates.Value!)
                    : new Status.Failure(new PxpRequestException(candidates.Error!)));
                break;
            default:
                var status = Replies.ReadStatus(response.Args);
                SessionRpc.Count(pending.Kind.ToString().ToLowerInvariant(), "out", status.IsSuccess ? "ok" : "error");
                if (!status.IsSuccess)
                {
                    pending.Stream?.Close(); // refused: the substream opened for it carries nothing
                    var error = new PxpRequestException(status.Error!);
                    pending.ReplyTo?.Tell(new Status.Failure(error));
                    if (pending.Kind == RequestKind.Connect) session.ConnectRefused(error);
                    break;
                }
                if (pending.Kind == RequestKind.Connect) session.ConnectionOpened(pending.Stream!);
                else pending.ReplyTo?.Tell(new RelayOpened(pending.Stream!));
                break;
        }
    }

    public void OnRequestTimedOut(SessionRpc.RequestTimedOut timedOut)
    {
        if (!rpc.TryTakeTimedOut(timedOut.Nonce, out var pending)) return;
        SessionRpc.Count(timedOut.Command, "out", "timeout");
        pending.Stream?.Close();
        var error = new PxpRequestException($"No reply to \"{timedOut.Command}\" within {settings.RequestTimeout.TotalSeconds:0.###} s");
        pending.ReplyTo?.Tell(new Status.Failure(error));
        if (pending.Kind == RequestKind.Connect) session.Fail(error);
    }

    /// <summary>A substream opened for a request (or failed to, with <paramref name="Error"/>), and what to send on it.</summary>
    /// <param name="Nonce">The request's nonce.</param>
    /// <param name="Stream">The substream; null when it could not be opened.</param>
    /// <param name="ThenSend">The request to send once it is open, if any.</param>
    /// <param name="Error">Why it could not be opened.</param>
    /// <param name="Theirs">The substream answers the peer's request <paramref name="Nonce"/>, not one of ours.</param>
    public sealed record SubstreamFor(string Nonce, SubstreamChannel? Stream, PxpMessage? ThenSend, Exception? Error = null, bool Theirs = false);
}
