using Akka.Actor;
using PxpActors.Actors;
using PxpActors.Ids;

namespace PxpActors.Candidates;

/// <summary>
/// Candidate ids handed out in getpeers replies, each remembered for a limited time and only for the
/// peer it was given to. Bounded: past the cap the oldest ids are forgotten first.
/// </summary>
internal sealed class CandidateTable(int capacity)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _age = new();

    public int Count => _entries.Count;

    /// <summary>Remembers a new id for a target issued to <paramref name="issuedTo"/>; returns the id.</summary>
    public string Add(IActorRef issuedTo, IActorRef? target, CustomCandidate? custom, DateTime expires)
    {
        string id;
        do id = RandomId.Next(); while (_entries.ContainsKey(id));
        while (_entries.Count >= capacity && _age.TryDequeue(out var oldest)) _entries.Remove(oldest);
        _entries[id] = new Entry(issuedTo, target, custom, expires);
        _age.Enqueue(id);
        return id;
    }

    public bool TryGet(string id, IActorRef asker, DateTime now, out Entry entry)
    {
        if (_entries.TryGetValue(id, out entry!) && entry.IssuedTo.Equals(asker) && entry.Expires > now) return true;
        entry = null!;
        return false;
    }

    /// <summary>Forgets expired ids (the queue is in expiry order, since every id lives equally long).</summary>
    public void Expire(DateTime now)
    {
        while (_age.TryPeek(out var oldest))
        {
            if (_entries.TryGetValue(oldest, out var entry) && entry.Expires > now) break;
            _age.Dequeue();
            _entries.Remove(oldest);
        }
    }

    /// <summary>Forgets every id issued to or pointing at a peer that is gone.</summary>
    public void RemovePeer(IActorRef peer)
    {
        foreach (var (id, entry) in _entries.Where(e => e.Value.IssuedTo.Equals(peer) || peer.Equals(e.Value.Target)).ToList())
            _entries.Remove(id);
    }

    public sealed record Entry(IActorRef IssuedTo, IActorRef? Target, CustomCandidate? Custom, DateTime Expires);
}
