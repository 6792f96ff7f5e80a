using Akka.Actor;
using PxpActors.Candidates;
using PxpActors.Protocol.Rpc;
using PxpActors.Resources;
using PxpActors.Sessions;

namespace PxpActors.Actors.Internal;

/// <summary>
/// The exchange's side of getpeers and relay: offers candidates to a session's peer (its other ready peers that accept
/// incoming sessions, or the custom candidate source's), each under an id remembered for pxp.candidate-ttl on the node's
/// clock, and resolves a relay's candidate id to its target, granting the relay a node-wide slot.
/// </summary>
internal sealed class CandidateOffers(ExchangeSettings settings, CandidateSource? source, TimeProvider time)
{
    private readonly CandidateTable _table = new(settings.MaxCandidates);

    /// <summary>Candidate ids remembered.</summary>
    public int Count => _table.Count;

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    /// <summary>Forgets the ids past their time to live.</summary>
    public void Expire() => _table.Expire(Now());

    /// <summary>Forgets every id issued to or pointing at a session that has stopped.</summary>
    public void RemovePeer(IActorRef session) => _table.RemovePeer(session);

    /// <summary>The candidates for <paramref name="asker"/>'s peer. Reply: <see cref="CandidatesOffered"/>.</summary>
    public void Offer(CandidatesWanted wanted, IActorRef asker, SessionTable sessions)
    {
        var expires = Now() + settings.CandidateTtl;
        if (source is not null)
        {
            IReadOnlyList<CustomCandidate> custom;
            try
            {
                custom = source(wanted.Network);
            }
            catch (Exception e)
            {
                asker.Tell(new CandidatesOffered(wanted.Nonce, [], $"Candidate source failed: {e.Message}"));
                return;
            }
            var offered = custom.Take(settings.MaxCandidatesPerReply)
                .Select(c => new Candidate(_table.Add(asker, null, c, expires), wanted.Network, c.ConnectInfo ?? ConnectInfo.StreamOnly))
                .ToList();
            asker.Tell(new CandidatesOffered(wanted.Nonce, offered, null));
            return;
        }

        // Only peers that accept incoming sessions: a JS asker crashes on a candidate whose connectInfo is null.
        var peers = sessions.ReadyPeers()
            .Where(p => !p.Actor.Equals(asker) && p.Info.AcceptsIncoming)
            .OrderBy(_ => Random.Shared.Next())
            .Take(settings.MaxCandidatesPerReply)
            .Select(p => new Candidate(_table.Add(asker, p.Actor, null, expires), wanted.Network, p.Info.ConnectInfo))
            .ToList();
        asker.Tell(new CandidatesOffered(wanted.Nonce, peers, null));
    }

    /// <summary>The target of the id <paramref name="asker"/>'s peer asks a relay to. Reply: <see cref="CandidateResolved"/>.</summary>
    public void Resolve(ResolveCandidate resolve, IActorRef asker, SessionTable sessions, ExchangeBudget budget)
    {
        if (!_table.TryGet(resolve.CandidateId, asker, Now(), out var entry))
        {
            asker.Tell(new CandidateResolved(resolve.Nonce, resolve.CandidateId, null, null,
                $"Peer requested unknown candidate: id={resolve.CandidateId}"));
            return;
        }
        if (entry.Target is { } target && sessions.InfoOf(target) is not { AcceptsIncoming: true })
        {
            asker.Tell(new CandidateResolved(resolve.Nonce, resolve.CandidateId, null, null,
                $"Candidate {resolve.CandidateId} does not accept incoming connections"));
            return;
        }
        if (budget.TakeRelay(asker) is { } refusal)
        {
            asker.Tell(new CandidateResolved(resolve.Nonce, resolve.CandidateId, null, null, refusal));
            return;
        }
        asker.Tell(new CandidateResolved(resolve.Nonce, resolve.CandidateId, entry.Target, entry.Custom, null));
    }

    /// <summary>The exchange's periodic reminder to <see cref="Expire"/>.</summary>
    public sealed record ExpireTick
    {
        public static ExpireTick Instance { get; } = new();
    }
}
