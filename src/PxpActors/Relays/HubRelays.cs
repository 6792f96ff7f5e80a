using Akka.Actor;

namespace PxpActors.Relays;

/// <summary>
/// The relays one peer has through this node as the hub, kept by its session: the candidate ids reserved (one relay per
/// id, at most pxp.max-relays-per-peer) and the HubRelayActor of each once it is started.
/// </summary>
internal sealed class HubRelays
{
    // Candidate ids with a relay resolving, opening or open, and its actor once there is one.
    private readonly Dictionary<string, IActorRef?> _byCandidate = new(StringComparer.Ordinal);
    // Relay actors by the asker's request nonce, until they stop.
    private readonly Dictionary<string, IActorRef> _byNonce = new(StringComparer.Ordinal);
    private long _started;

    /// <summary>Why a relay to <paramref name="candidateId"/> is refused, or null.</summary>
    public string? Refuse(string candidateId, int maxRelaysPerPeer)
    {
        if (_byCandidate.ContainsKey(candidateId)) return $"Candidate {candidateId} is already being relayed for this peer";
        if (_byCandidate.Count >= maxRelaysPerPeer) return $"Too many relays open through this node (limit {maxRelaysPerPeer})";
        return null;
    }

    public void Reserve(string candidateId) => _byCandidate[candidateId] = null;

    /// <summary>An actor name unique among the session's children, stopping ones included, that says what it is.</summary>
    public string NextActorName(string candidateId) => $"relay-{candidateId}-{++_started}";

    public void Started(string nonce, string candidateId, IActorRef relay)
    {
        _byCandidate[candidateId] = relay;
        _byNonce[nonce] = relay;
    }

    public bool TryGetRelay(string nonce, out IActorRef relay) => _byNonce.TryGetValue(nonce, out relay!);

    /// <summary>The relay run by <paramref name="relay"/> is over: returns its candidate id once, then null.</summary>
    public string? Ended(IActorRef relay)
    {
        foreach (var (nonce, actor) in _byNonce)
        {
            if (!actor.Equals(relay)) continue;
            _byNonce.Remove(nonce);
            break;
        }
        foreach (var (candidateId, actor) in _byCandidate)
            if (relay.Equals(actor)) return candidateId; // reserved until freed
        return null;
    }

    public void Free(string candidateId) => _byCandidate.Remove(candidateId);
}
