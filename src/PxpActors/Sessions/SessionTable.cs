using System.Collections.Immutable;
using Akka.Actor;
using PxpActors.Actors;

namespace PxpActors.Sessions;

/// <summary>
/// An exchange's sessions: every session actor alive, the peer each speaks for once its handshake has ended, why it is
/// ending when it failed, and the ready peers as an immutable list the facade may hold. State of the ExchangeActor alone.
/// </summary>
internal sealed class SessionTable
{
    private readonly Dictionary<IActorRef, PeerInfo?> _sessions = new();
    // When each session started, until its handshake ends. A real duration for a metric: read on the real clock.
    private readonly Dictionary<IActorRef, long> _handshaking = new();
    // Why a session is ending, from its SessionFailed until it stops; absent for an orderly close.
    private readonly Dictionary<IActorRef, Exception> _failures = new();
    private ImmutableList<PeerInfo> _ready = ImmutableList<PeerInfo>.Empty;

    /// <summary>Session actors alive, handshaking or ready.</summary>
    public int Count => _sessions.Count;

    /// <summary>The peers whose handshake has ended, in the order they did.</summary>
    public ImmutableList<PeerInfo> Ready => _ready;

    public IEnumerable<IActorRef> Actors => _sessions.Keys;

    public bool Contains(IActorRef session) => _sessions.ContainsKey(session);

    /// <summary>The peer <paramref name="session"/> speaks for; null while it handshakes, or when it is not a session.</summary>
    public PeerInfo? InfoOf(IActorRef session) => _sessions.GetValueOrDefault(session);

    public void Started(IActorRef session)
    {
        _sessions[session] = null;
        _handshaking[session] = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>The handshake of <paramref name="session"/> has ended; returns when it started (for its duration), or null.</summary>
    public long? MarkReady(IActorRef session, PeerInfo info)
    {
        _sessions[session] = info;
        _ready = _ready.Add(info); // structural sharing: no copy of the whole table per change
        return _handshaking.Remove(session, out var started) ? started : null;
    }

    /// <summary>Remembers why <paramref name="session"/> is ending, for the PeerRemoved its end will publish.</summary>
    public void Failing(IActorRef session, Exception error)
    {
        if (_sessions.ContainsKey(session)) _failures[session] = error;
    }

    /// <summary>Forgets a session that has stopped; false when <paramref name="actor"/> was none.</summary>
    public bool Remove(IActorRef actor, out PeerInfo? info, out Exception? reason, out bool wasHandshaking)
    {
        reason = null;
        wasHandshaking = false;
        if (!_sessions.Remove(actor, out info)) return false;
        _failures.Remove(actor, out reason);
        wasHandshaking = _handshaking.Remove(actor);
        if (info is not null) _ready = _ready.Remove(info);
        return true;
    }

    public IEnumerable<(IActorRef Actor, PeerInfo Info)> ReadyPeers() =>
        _sessions.Where(s => s.Value is not null).Select(s => (s.Key, s.Value!));

    /// <summary>The session of the ready peer <paramref name="peerId"/>, or null.</summary>
    public IActorRef? Find(string peerId) => ReadyPeers().FirstOrDefault(p => p.Info.Id == peerId).Actor;

    /// <summary>Node ids of the peers we hold a session with that is not relayed (relayed ones are on their way out).</summary>
    public HashSet<string> ConnectedNodes() =>
        ReadyPeers().Where(p => !p.Info.Relayed && p.Info.NodeId is not null).Select(p => p.Info.NodeId!).ToHashSet(StringComparer.Ordinal);
}
