using Akka.Actor;
using Akka.Event;
using PxpActors.Carriers;
using PxpActors.Resources;
using PxpActors.Sessions;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Actors.Internal;

/// <summary>
/// The exchange's WebRTC upgrades of relayed sessions, in both roles: which relayed session each SignalingRelayActor
/// upgrades, the session over the upgraded connection that replaces it, and the node ids getNewPeer is connecting to (so
/// two upgrades with one node never run at once). State of the ExchangeActor alone, which hands it these messages.
/// </summary>
internal sealed class ExchangeUpgrades(ExchangeSettings settings, string nodeId, SessionTable sessions,
    IReadOnlyDictionary<IActorRef, IActorRef> carriers, ExchangeBudget budget, IWebRtcPeerConnectionFactory webRtc,
    PeerConnectionOptions webRtcOptions, TimeProvider time, ILoggingAdapter log)
{
    // How long a responder's standby connection is kept unused: a node that answered an upgrade this recently likely gets
    // another soon. Its server-reflexive candidates (NAT bindings) must still be fresh when used, hence short.
    internal static readonly TimeSpan StandbyLifetime = TimeSpan.FromSeconds(30);

    // Relayed sessions being upgraded, and the SignalingRelayActor of each (and back).
    private readonly Dictionary<IActorRef, IActorRef> _upgrades = new();
    private readonly Dictionary<IActorRef, IActorRef> _upgradedSessions = new();
    // Sessions over an upgraded connection, until ready, and the relayed session each replaces (closed once it is ready).
    private readonly Dictionary<IActorRef, IActorRef> _replacing = new();
    // Relayed sessions whose upgrade handed its data channel over, until they have ended.
    private readonly HashSet<IActorRef> _upgraded = [];
    // Node ids a getNewPeer of ours is connecting to: not chosen again until that attempt ends.
    private readonly Dictionary<string, int> _connectingTo = new(StringComparer.Ordinal);
    // Node ids that refused our getNewPeer for having their maximum of peers, and when that was: not chosen again for
    // FullNodeRest, since a full node rarely loses a peer soon, and asking it again only costs a relay.
    private readonly Dictionary<string, long> _full = new(StringComparer.Ordinal);
    private static readonly TimeSpan FullNodeRest = TimeSpan.FromSeconds(30);
    // The responder's connection started ahead for the next offer (made once this node answered one), and when.
    private PreparedPeerConnection? _standby;
    private long _standbyMadeAt;
    // Set by an offer we answer, cleared when the standby expires unused or the exchange closes.
    private bool _keepStandby;
    private bool _closed;

    /// <summary>Starts a session over <paramref name="binding"/>; returns its actor, or null when the exchange refused it.</summary>
    public delegate IActorRef? SessionStarter(Carriers.CarrierBinding binding, string transportName, bool incoming, IActorRef? requester,
        bool nested, bool upgrading);

    /// <summary>Upgrades in progress (each a SignalingRelayActor and a peer connection).</summary>
    public int InProgress => _upgradedSessions.Count;

    /// <summary>Peer connections started ahead for the next offer (0 or 1).</summary>
    public int Standby => _standby is null ? 0 : 1;

    /// <summary>
    /// A signal on a relayed session: for its upgrade in progress, or the first of a peer's upgrade, which we answer as the
    /// responder when the session was relayed to us (the reference's rule) and no limit or duplicate forbids it.
    /// </summary>
    public void OnUpgradeReceived(UpgradeReceived upgrade, IActorRef session, bool closing, IActorContext context,
        Action<PxpExchange.IExchangeEvent> publish)
    {
        if (_upgrades.TryGetValue(session, out var signaling))
        {
            signaling.Tell(new RemoteSignal(upgrade.Signal));
            return;
        }
        // Candidates the peer still trickles after its upgrade finished: the session is on its way out.
        if (_upgraded.Contains(session)) return;
        if (Refuse(upgrade.Peer, session, closing) is { } refusal)
        {
            log.Info("PXP upgrade of {0} refused: {1}", ExchangeActor.Name(upgrade.Peer), refusal);
            publish(new PxpExchange.PeerFailed(upgrade.Peer, new PxpRequestException(refusal)));
            session.Tell(CloseSession.Instance);
            return;
        }
        signaling = StartSignaling(initiator: false, session, settings.Upgrade.Timeout, requester: null, context, TakeStandby());
        signaling.Tell(new RemoteSignal(upgrade.Signal));
        // Refilled once this upgrade is over, not now: starting one now would compete with this upgrade for the CPU.
        _keepStandby = !_closed;
    }

    /// <summary>
    /// getNewPeer's offer, started ahead while it asks for candidates and opens the relay; null when the connection could not be
    /// made (the upgrade then makes its own and reports why). Safe off the actor: it reads only the factory and options.
    /// </summary>
    public PreparedPeerConnection? PrepareOffer(TimeSpan timeLeft)
    {
        try
        {
            // ICE's own bound counts from now: the whole of getNewPeer's time (the upgrade's timer is the tighter bound).
            return PreparedPeerConnection.Start(webRtc, webRtcOptions with { Initiator = true, IceConnectTimeout = timeLeft });
        }
        catch (Exception)
        {
            return null;
        }
    }

    private PreparedPeerConnection? TakeStandby()
    {
        var standby = _standby;
        _standby = null;
        if (standby is not null && time.GetElapsedTime(_standbyMadeAt) > StandbyLifetime)
        {
            _ = standby.ReleaseUnlessClaimedAsync();
            return null;
        }
        return standby;
    }

    private void RefillStandby()
    {
        if (!_keepStandby || _standby is not null || !webRtc.PreparesAhead) return;
        try
        {
            // Its ICE bound counts from now, so it covers the time it may wait as well as the upgrade.
            _standby = PreparedPeerConnection.Start(webRtc,
                webRtcOptions with { Initiator = false, IceConnectTimeout = settings.Upgrade.Timeout + StandbyLifetime });
            _standbyMadeAt = time.GetTimestamp();
        }
        catch (Exception e)
        {
            log.Info("PXP could not start a standby WebRTC connection: {0}", e.Message);
        }
    }

    /// <summary>Releases the standby once it has waited its lifetime unused (on the exchange's periodic tick).</summary>
    public void ExpireStandby()
    {
        if (_standby is null || time.GetElapsedTime(_standbyMadeAt) <= StandbyLifetime) return;
        _keepStandby = false; // until the next offer we answer
        ReleaseStandby();
    }

    /// <summary>The exchange is closing: the standby is released and never made again.</summary>
    public void Close()
    {
        _closed = true;
        _keepStandby = false;
        ReleaseStandby();
    }

    private void ReleaseStandby()
    {
        var standby = _standby;
        _standby = null;
        _ = standby?.ReleaseUnlessClaimedAsync();
    }

    private string? Refuse(PeerInfo peer, IActorRef session, bool closing)
    {
        if (!carriers.ContainsKey(session)) return "Only a session relayed to this node can be upgraded by its peer";
        if (closing) return "The exchange is closed";
        if (_upgradedSessions.Count >= settings.Limits.MaxPendingUpgrades)
        {
            budget.CountRefusal("upgrades");
            return $"Refused: {settings.Limits.MaxPendingUpgrades} WebRTC upgrades are in progress (pxp.limits.max-pending-upgrades)";
        }
        if (peer.NodeId is not { } node) return null; // a JavaScript peer: no id to compare
        if (node == nodeId) return "The peer is this node itself";
        if (sessions.ConnectedNodes().Contains(node)) return $"Already connected to node {node}";
        // Answering another upgrade from that node, or a new connection with it starting. (Our own upgrade toward it is
        // settled by the node ids just below, so that of two crossing upgrades exactly one goes on.)
        if (UpgradingNodes(except: session, answeringOnly: true).Contains(node)) return $"Already upgrading a session with node {node}";
        // Both ends are getting a new peer of each other at once: the upgrade of the node with the smaller id goes on.
        if (_connectingTo.ContainsKey(node) && string.CompareOrdinal(nodeId, node) < 0) return $"Already connecting to node {node}";
        return null;
    }

    /// <summary>
    /// Node ids of the relayed sessions being upgraded, in either role (or only those we answer), or whose upgraded
    /// connection is starting its session (the relayed session's peer is the same node).
    /// </summary>
    private HashSet<string> UpgradingNodes(IActorRef? except = null, bool answeringOnly = false) =>
        _upgrades.Keys.Where(session => !answeringOnly || carriers.ContainsKey(session)).Concat(_replacing.Values)
            .Where(session => !session.Equals(except))
            .Select(session => sessions.InfoOf(session)?.NodeId)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>getNewPeer's choice among the candidates a peer offered: the usable ones, then the selector's pick, reserved.</summary>
    public void OnChooseCandidate(ChooseCandidate choose, IActorRef asker, CandidateSelector selector)
    {
        if (choose.Candidates.Count == 0)
        {
            asker.Tell(new Status.Failure(new PxpRequestException("Peer did not return any candidates")));
            return;
        }
        var connected = sessions.ConnectedNodes();
        connected.UnionWith(UpgradingNodes());
        var full = FullNodes().ToHashSet(StringComparer.Ordinal);
        connected.UnionWith(full);
        // A candidate that is not a PXP peer is a plain relayed stream (the reference's function candidates); a PXP one must
        // accept incoming (the reference crashes on one that does not) and be neither us nor a node we have or are getting.
        var usable = choose.Candidates
            .Where(c => c.ConnectInfo is { } info && (!info.Pxp || info.NodeId is not { } node
                || (node != nodeId && !connected.Contains(node) && !_connectingTo.ContainsKey(node))))
            .ToList();
        if (usable.Count == 0)
        {
            var fullOnes = choose.Candidates.Count(c => c.ConnectInfo?.NodeId is { } node && full.Contains(node));
            asker.Tell(new Status.Failure(new PxpRequestException(
                $"None of the {choose.Candidates.Count} candidates the peer offered can be used: each is this node, a node it is " +
                "connected or connecting to, or does not accept incoming connections" +
                (fullOnes == 0 ? "" : $" ({fullOnes} refused us lately for having their maximum of peers, pxp.max-peers)"))));
            return;
        }
        Protocol.Rpc.Candidate chosen;
        try
        {
            chosen = selector(usable);
        }
        catch (Exception e)
        {
            asker.Tell(new Status.Failure(new PxpRequestException($"The candidate selector failed: {e.Message}", e)));
            return;
        }
        if (chosen.ConnectInfo?.NodeId is { } chosenNode) _connectingTo[chosenNode] = _connectingTo.GetValueOrDefault(chosenNode) + 1;
        asker.Tell(new CandidateChosen(chosen));
    }

    /// <summary>The nodes that refused us as full within the last <see cref="FullNodeRest"/> (older entries are dropped).</summary>
    private IEnumerable<string> FullNodes()
    {
        if (_full.Count == 0) return [];
        foreach (var (node, since) in _full)
            if (time.GetElapsedTime(since) >= FullNodeRest) _full.Remove(node);
        return _full.Keys;
    }

    public void OnCandidateReleased(CandidateReleased released)
    {
        if (released.Full && released.NodeId is { } full) _full[full] = time.GetTimestamp();
        if (released.NodeId is { } node && _connectingTo.TryGetValue(node, out var count))
        {
            if (count <= 1) _connectingTo.Remove(node);
            else _connectingTo[node] = count - 1;
        }
    }

    /// <summary>getNewPeer relays to a PXP candidate: a nested session over the relay, upgraded by us as the initiator.</summary>
    public void OnUpgradeRelay(UpgradeRelay upgrade, IActorRef asker, IActorContext context, SessionStarter startSession)
    {
        // A refusal leaves upgrade.Prepared unclaimed: getNewPeer releases it.
        if (_upgradedSessions.Count >= settings.Limits.MaxPendingUpgrades)
        {
            budget.CountRefusal("upgrades");
            upgrade.Relay.Close();
            asker.Tell(new Status.Failure(new PxpRequestException(
                $"Refused: {settings.Limits.MaxPendingUpgrades} WebRTC upgrades are in progress (pxp.limits.max-pending-upgrades)")));
            return;
        }
        var binding = Relays.SubstreamCarrierBinding.CarryingSession(upgrade.Relay);
        var session = startSession(binding, "relay", incoming: false, requester: null, nested: true, upgrading: true);
        if (session is null)
        {
            asker.Tell(new Status.Failure(new PxpRequestException("The exchange refused the relayed session (closed or at a limit)")));
            return;
        }
        var timeout = upgrade.TimeLeft < settings.Upgrade.Timeout ? upgrade.TimeLeft : settings.Upgrade.Timeout;
        StartSignaling(initiator: true, session, timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1), asker,
            context, upgrade.Prepared);
    }

    private IActorRef StartSignaling(bool initiator, IActorRef session, TimeSpan timeout, IActorRef? requester,
        IActorContext context, PreparedPeerConnection? prepared)
    {
        var signaling = context.ActorOf(SignalingRelayActor.Props(initiator, session, webRtc, webRtcOptions, timeout, requester, prepared));
        context.Watch(signaling);
        _upgrades[session] = signaling;
        _upgradedSessions[signaling] = session;
        return signaling;
    }

    /// <summary>The data channel is open: it carries a new session, and the relayed session closes once that one is ready.</summary>
    public void OnUpgradeOpened(UpgradeOpened opened, IActorRef signaling, SessionStarter startSession)
    {
        if (!_upgradedSessions.Remove(signaling, out var relayed)) return;
        _upgrades.Remove(relayed);
        _upgraded.Add(relayed);
        var binding = new Carriers.StreamCarrierBinding(opened.Transport, settings.WriteTimeout, settings.Upgrade.ReadBufferSize,
            transport: "webrtc");
        var session = startSession(binding, "webrtc", opened.Incoming, opened.Requester, nested: false, upgrading: false);
        if (session is null) relayed.Tell(CloseSession.Instance);
        else _replacing[session] = relayed;
    }

    public void OnUpgradeFailed(UpgradeFailed failed, IActorRef signaling, Action<PxpExchange.IExchangeEvent> publish)
    {
        if (!_upgradedSessions.Remove(signaling, out var relayed)) return;
        _upgrades.Remove(relayed);
        publish(new PxpExchange.PeerFailed(sessions.InfoOf(relayed), failed.Error));
        relayed.Tell(CloseSession.Instance);
        RefillStandby();
    }

    /// <summary>A session finished its handshake: one over an upgraded connection replaces its relayed one.</summary>
    public void OnSessionReady(IActorRef session)
    {
        // The upgraded connection carries a session now: the relayed one it replaces ends, with end frames only.
        if (_replacing.Remove(session, out var relayed)) relayed.Tell(CloseSession.Instance);
    }

    /// <summary>An actor the exchange watched stopped; true when it was a SignalingRelayActor (nothing else to do for it).</summary>
    public bool OnStopped(IActorRef actor)
    {
        if (_upgradedSessions.Remove(actor, out var upgraded))
        {
            // Its upgrade stopped with neither outcome (the actor failed): the relayed session has nothing left to do.
            _upgrades.Remove(upgraded);
            upgraded.Tell(CloseSession.Instance);
            RefillStandby();
            return true;
        }
        _upgrades.Remove(actor);
        // The relayed session of an upgrade that succeeded has ended: the new connection is up, past its critical path.
        if (_upgraded.Remove(actor)) RefillStandby();
        if (_replacing.Remove(actor, out var replaced)) replaced.Tell(CloseSession.Instance);
        return false;
    }
}
