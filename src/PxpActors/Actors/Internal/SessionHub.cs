using Akka.Actor;
using Akka.Streams;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.Relays;
using PxpActors.Sessions;
using PxpActors.Multiplexing;

namespace PxpActors.Actors.Internal;

/// <summary>
/// The hub side of one session: takes its peer's relay requests within the per-peer limits, has the exchange resolve the
/// candidate and grant a node-wide slot, starts a <see cref="HubRelayActor"/> per relay as a child of the session, and
/// returns the slot when that actor stops. Made by the session on its peer's first relay (most peers never ask for one).
/// </summary>
internal sealed class SessionHub(ExchangeSettings settings, IActorRef exchange, IMaterializer materializer, SessionRpc rpc, TimeProvider time)
{
    private readonly HubRelays _relays = new();

    /// <summary>
    /// The peer asks us to relay to a candidate. Refused here, before anything is opened toward the candidate, when
    /// the same candidate id is already being relayed for this peer (its "relay:id" substream is taken) or the peer
    /// has its limit of relays open; otherwise the id is reserved until the relay ends or fails.
    /// </summary>
    public void OnRelay(Relay relay)
    {
        if (_relays.Refuse(relay.CandidateId, settings.MaxRelaysPerPeer) is { } refusal)
        {
            rpc.Reply(relay.Nonce, Replies.Error(refusal));
            return;
        }
        _relays.Reserve(relay.CandidateId);
        exchange.Tell(new ResolveCandidate(relay.Nonce, relay.CandidateId));
    }

    /// <summary>The exchange found the candidate and gave the relay a node-wide slot: a relay actor of its own opens it.</summary>
    public void OnCandidateResolved(CandidateResolved resolved, IMultiplexer mux, IActorContext context)
    {
        if (resolved.Error is not null)
        {
            _relays.Free(resolved.CandidateId);
            rpc.Reply(resolved.Nonce, Replies.Error(resolved.Error));
            return;
        }
        var source = mux.OpenChannel($"relay:{resolved.CandidateId}");
        var props = new Props(SessionProps.Deploy, typeof(HubRelayActor), resolved.Nonce, source, resolved.Target, resolved.Custom, settings,
            materializer, time);
        var relay = context.ActorOf(props, _relays.NextActorName(resolved.CandidateId));
        context.Watch(relay);
        _relays.Started(resolved.Nonce, resolved.CandidateId, relay);
    }

    public void OnOpened(HubRelayOpened opened, bool sessionStopping, IActorContext context)
    {
        if (!_relays.TryGetRelay(opened.Nonce, out var relay)) return;
        if (sessionStopping)
        {
            context.Stop(relay); // its halves close as it stops
            return;
        }
        // Reply first: the asker registers relay:<id> on the reply, and control frames go out ahead of data.
        rpc.Reply(opened.Nonce, Replies.Ok);
        relay.Tell(StartHubRelay.Instance);
    }

    public void OnFailed(HubRelayFailed failed, IActorRef relay)
    {
        // The slot is free before the asker hears: it may ask again at once.
        Ended(relay);
        rpc.Reply(failed.Nonce, Replies.Error(failed.Error));
    }

    /// <summary>A relay actor stopped (its pipe ended, its candidate's session stopped, or it failed).</summary>
    public void OnStopped(IActorRef relay) => Ended(relay);

    /// <summary>A relay is over (or never started): its id and its node-wide slot are free again, once.</summary>
    private void Ended(IActorRef relay)
    {
        if (_relays.Ended(relay) is not { } candidateId) return;
        _relays.Free(candidateId);
        exchange.Tell(new RelayReleased());
    }
}
