using System.Net;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// The checklist of RFC 8445 §6.1.2: pairs ordered by priority, their Frozen/Waiting states by foundation,
/// the triggered-check queue (§7.3.1.4), and the choice of the next check (§6.1.4.2). Bounded by a pair limit.
/// </summary>
internal sealed class IceChecklist(int maxPairs)
{
    private readonly List<IceCandidatePair> _pairs = [];
    private readonly Queue<IceCandidatePair> _triggered = new();
    private readonly HashSet<IceCandidatePair> _queued = [];

    /// <summary>All pairs, highest priority first.</summary>
    public IReadOnlyList<IceCandidatePair> Pairs => _pairs;

    public IceCandidatePair? Find(int socketId, IPEndPoint remote) =>
        _pairs.FirstOrDefault(p => p.SocketId == socketId && p.RemoteEndPoint.Equals(remote));

    /// <summary>
    /// Adds a pair, Waiting unless another pair of its foundation is already being checked (then Frozen).
    /// Beyond the limit the lowest-priority unchecked pair is pruned, or the new pair refused (null).
    /// </summary>
    public IceCandidatePair? Add(IceLocalCandidate local, IceRemoteCandidate remote, IceRole role)
    {
        var existing = Find(local.SocketId, remote.EndPoint);
        if (existing is not null) return existing;
        var pair = new IceCandidatePair(local, remote, role);
        if (_pairs.Count >= maxPairs)
        {
            var victim = _pairs.LastOrDefault(p => p.State is IceCandidatePairState.Frozen or IceCandidatePairState.Waiting);
            if (victim is null || victim.Priority >= pair.Priority) return null;
            _pairs.Remove(victim);
        }
        pair.State = IsBeingChecked(pair.Foundation) ? IceCandidatePairState.Frozen : IceCandidatePairState.Waiting;
        var index = _pairs.FindIndex(p => p.Priority < pair.Priority);
        _pairs.Insert(index < 0 ? _pairs.Count : index, pair);
        return pair;
    }

    /// <summary>Queues a triggered check (the pair goes Waiting); pairs already queued stay where they are.</summary>
    public void Trigger(IceCandidatePair pair)
    {
        if (pair.State == IceCandidatePairState.Succeeded) return;
        pair.State = IceCandidatePairState.Waiting;
        if (_queued.Add(pair)) _triggered.Enqueue(pair);
    }

    /// <summary>
    /// The pair to check next: a triggered one first, else (when ordinary checks are allowed) the best Waiting
    /// pair, unfreezing one pair per foundation when none is Waiting.
    /// </summary>
    public IceCandidatePair? NextCheck(bool ordinaryChecks)
    {
        while (_triggered.TryDequeue(out var triggered))
        {
            _queued.Remove(triggered);
            if (triggered.State == IceCandidatePairState.Waiting && _pairs.Contains(triggered)) return triggered;
        }
        if (!ordinaryChecks) return null;
        var waiting = _pairs.FirstOrDefault(p => p.State == IceCandidatePairState.Waiting);
        if (waiting is not null) return waiting;
        foreach (var pair in _pairs)
        {
            if (pair.State == IceCandidatePairState.Frozen && !IsBeingChecked(pair.Foundation))
                pair.State = IceCandidatePairState.Waiting;
        }
        return _pairs.FirstOrDefault(p => p.State == IceCandidatePairState.Waiting);
    }

    public bool HasWork(bool ordinaryChecks) =>
        _triggered.Count > 0
        || (ordinaryChecks && _pairs.Any(p => p.State is IceCandidatePairState.Waiting or IceCandidatePairState.Frozen));

    /// <summary>A check succeeded: its foundation's Frozen pairs may run now (RFC 8445 §7.2.5.3.3).</summary>
    public void Unfreeze(string foundation)
    {
        foreach (var pair in _pairs)
        {
            if (pair.State == IceCandidatePairState.Frozen && pair.Foundation == foundation) pair.State = IceCandidatePairState.Waiting;
        }
    }

    /// <summary>Recomputes priorities after a role change and restores the order.</summary>
    public void Reprioritize(IceRole role)
    {
        foreach (var pair in _pairs) pair.UpdatePriority(role);
        _pairs.Sort((a, b) => b.Priority.CompareTo(a.Priority));
    }

    public IceCandidatePair? BestSucceeded() => _pairs.FirstOrDefault(p => p.State == IceCandidatePairState.Succeeded);

    /// <summary>True while a pair better than <paramref name="priority"/> may still succeed.</summary>
    public bool HasPendingBetterThan(ulong priority) =>
        _pairs.Any(p => p.Priority > priority && p.State is not (IceCandidatePairState.Succeeded or IceCandidatePairState.Failed));

    /// <summary>Every pair failed and nothing is queued: the checklist has failed (RFC 8445 §7.2.5.3.3 / §8.1).</summary>
    public bool AllFailed => _pairs.Count > 0 && _triggered.Count == 0 && _pairs.All(p => p.State == IceCandidatePairState.Failed);

    private bool IsBeingChecked(string foundation) =>
        _pairs.Any(p => p.Foundation == foundation && p.State is IceCandidatePairState.Waiting or IceCandidatePairState.InProgress);
}
