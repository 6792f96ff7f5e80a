using System.Net;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// A local and a remote candidate checked together (RFC 8445 §6.1.2). The state machine owns it; outside
/// code only reads it.
/// </summary>
public sealed class IceCandidatePair
{
    private readonly IceRemoteCandidate _remote;

    internal IceCandidatePair(IceLocalCandidate local, IceRemoteCandidate remote, IceRole role)
    {
        LocalCandidate = local;
        _remote = remote;
        UpdatePriority(role);
    }

    /// <summary>Our candidate of the pair.</summary>
    public IceCandidate Local => LocalCandidate.Candidate;
    /// <summary>The peer's candidate of the pair.</summary>
    public IceCandidate Remote => _remote.Candidate;
    /// <summary>Where the peer's candidate is reached (its name resolved).</summary>
    public IPEndPoint RemoteEndPoint => _remote.EndPoint;
    /// <summary>Where the pair's connectivity check is.</summary>
    public IceCandidatePairState State { get; internal set; } = IceCandidatePairState.Frozen;
    /// <summary>The pair's priority (RFC 8445 section 6.1.2.3), for our role.</summary>
    public ulong Priority { get; private set; }

    /// <summary>Nominated: the controlling agent sent (or we received) USE-CANDIDATE on it and it succeeded.</summary>
    public bool Nominated { get; internal set; }

    /// <summary>Pair foundation: local foundation ‖ remote foundation (RFC 8445 §6.1.2.6).</summary>
    public string Foundation => Local.Foundation + ":" + Remote.Foundation;

    internal IceLocalCandidate LocalCandidate { get; }
    internal int SocketId => LocalCandidate.SocketId;
    internal IceRemoteCandidate RemoteCandidate => _remote;

    /// <summary>Controlled side: USE-CANDIDATE arrived before our own check on the pair succeeded.</summary>
    internal bool NominateOnSuccess { get; set; }

    /// <summary>When the peer's last authenticated check on this pair arrived.</summary>
    internal DateTimeOffset? LastRequestReceivedAt { get; set; }

    internal void UpdatePriority(IceRole role) =>
        Priority = role == IceRole.Controlling
            ? IcePriority.ForPair(Local.Priority, Remote.Priority)
            : IcePriority.ForPair(Remote.Priority, Local.Priority);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Local.Address}:{Local.Port} ({IceCandidate.TypeName(Local.Type)}) -> {RemoteEndPoint} ({IceCandidate.TypeName(Remote.Type)}) {State}{(Nominated ? " nominated" : "")}";
}
