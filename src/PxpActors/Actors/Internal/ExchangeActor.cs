using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Implementation;
using PxpActors.Diagnostics;
using PxpActors.Protocol.Rpc;
using PxpActors.Resources;
using PxpActors.Streams.Multiplexer;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Actors.Internal;

/// <summary>
/// One node on one network: supervises a PeerActor per session (a failure stops that session only),
/// keeps the peer table and the candidate table, answers getpeers and relay lookups for its sessions,
/// and publishes events to subscribers.
/// </summary>
internal sealed class ExchangeActor : ReceiveActor, IWithTimers
{
    private const string ExpiryTimer = "candidate-expiry";

    private readonly ExchangeSettings _settings;
    private readonly CandidateSource? _candidateSource;
    private readonly CandidateSelector _candidateSelector;
    private readonly IWebRtcPeerConnectionFactory _webRtc;
    private readonly PeerConnectionOptions _webRtcOptions;
    private readonly string _nodeId;
    private readonly TimeProvider _time;
    // What our hello announces: accepting incoming, with our node id; null when we do not accept.
    private readonly ConnectInfo? _announced;
    private readonly Action<IReadOnlyList<PeerInfo>>? _onPeersChanged;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private const string SessionDispatcher = "pxp.session-dispatcher";
    // Made once: WithDispatcher per session would build a deployment (and parse an empty config) every time.
    private static readonly Deploy SessionDeploy = Props.Empty.Deploy.WithDispatcher(SessionDispatcher);
    // One materializer for every session (one each would add a supervisor actor per session); session
    // streams run where session actors do.
    private readonly IMaterializer _materializer;
    private readonly SessionGraphs _graphs;
    private readonly Dictionary<IActorRef, PeerInfo?> _sessions = new();
    // When each session started, until its handshake ends (for the handshake duration).
    private readonly Dictionary<IActorRef, long> _handshaking = new();
    // Why a session is ending, from its SessionFailed until it stops; absent for an orderly close.
    private readonly Dictionary<IActorRef, Exception> _failures = new();
    private readonly CandidateTable _candidates;
    private readonly NodeResources _resources;
    private readonly ExchangeBudget _budget;
    // Relayed sessions and the session that carries each (it counts them against its peer's limit).
    private readonly Dictionary<IActorRef, IActorRef> _carriers = new();
    // Relayed sessions being upgraded, and the SignalingRelayActor of each (and back).
    private readonly Dictionary<IActorRef, IActorRef> _upgrades = new();
    private readonly Dictionary<IActorRef, IActorRef> _upgradedSessions = new();
    // Sessions over an upgraded connection, until ready, and the relayed session each replaces (closed once it is ready).
    private readonly Dictionary<IActorRef, IActorRef> _replacing = new();
    // Relayed sessions whose upgrade handed its data channel over, until they have ended.
    private readonly HashSet<IActorRef> _upgraded = [];
    // Node ids a getNewPeer of ours is connecting to: not chosen again until that attempt ends.
    private readonly Dictionary<string, int> _connectingTo = new(StringComparer.Ordinal);
    // Askers of Disconnect, answered when the session has ended.
    private readonly Dictionary<IActorRef, List<IActorRef>> _disconnecting = new();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly List<IActorRef> _closeRequesters = [];
    private readonly List<Transports.ITransportListener> _listeners = [];
    private bool _listenersStopping;
    private ImmutableList<PeerInfo> _readyList = ImmutableList<PeerInfo>.Empty;
    private long _nextPeerNumber;
    private bool _closing;
    private IActorRef? _upkeep;

    public ExchangeActor(ExchangeSettings settings, CandidateSource? candidateSource,
        Action<IReadOnlyList<PeerInfo>>? onPeersChanged, NodeResources? resources = null, ExchangePlugins? plugins = null)
    {
        plugins ??= new ExchangePlugins();
        _settings = settings;
        _candidateSource = candidateSource;
        _candidateSelector = plugins.CandidateSelector ?? CandidateSelectors.Uniform;
        _webRtc = plugins.WebRtc ?? PeerConnectionFactory.Instance;
        var webRtcOptions = plugins.WebRtcOptions ?? new PeerConnectionOptions();
        _webRtcOptions = webRtcOptions with
        {
            IceServers = settings.Upgrade.IceServers,
            IncludeLoopback = settings.Upgrade.IncludeLoopback || webRtcOptions.IncludeLoopback,
            // One source for all of this node's upgrades: each one's certificate is made ahead, off its setup.
            CertificateSource = webRtcOptions.CertificateSource ?? new DtlsCertificateSource(webRtcOptions.Dtls, webRtcOptions.TimeProvider),
        };
        _nodeId = plugins.NodeId ?? NodeIds.Next();
        _time = plugins.TimeProvider ?? TimeProvider.System;
        _announced = settings.AllowIncoming ? settings.AnnounceNodeId ? ConnectInfo.AcceptingAs(_nodeId) : ConnectInfo.Accepting : null;
        _onPeersChanged = onPeersChanged;
        _candidates = new CandidateTable(settings.MaxCandidates);
        // An application's own actor system may lack our defaults: the session dispatcher needs them.
        if (!Context.System.Settings.Config.HasPath(SessionDispatcher))
            Context.System.Settings.InjectTopLevelFallback(PxpConfig.Reference);
        _materializer = Context.Materializer(
            ActorMaterializerSettings.Create(Context.System).WithDispatcher(SessionDispatcher), namePrefix: "pxp");
        _resources = resources ?? new NodeResources(settings.Limits);
        _budget = new ExchangeBudget(settings.Limits, _resources.Sockets.Cap); // one cap, read from the file limit once
        _graphs = new SessionGraphs(settings.Multiplexer, _resources);

        // Told without a sender, a session's connection has no asker to own it: it goes to the subscribers.
        Receive<PxpExchange.AddPeer>(add =>
            StartSession(binding: null, Streams.CountedTransport.Create(add.Transport, add.TransportName), add.TransportName, add.Incoming,
                relayed: false, Asker(), endPoint: null));
        Receive<AddBoundPeer>(add =>
            StartSession(add.Transport, transport: null, add.TransportName, add.Incoming, relayed: false, Asker(), add.RemoteEndPoint,
                nested: add.Nested));
        Receive<AddRelayedPeer>(add =>
        {
            var binding = SubstreamChannelBinding.CarryingSession(add.Relay);
            var session = _settings.AllowIncoming
                ? StartSession(binding, transport: null, "relay", incoming: true, relayed: true, requester: null, endPoint: null)
                : null;
            if (session is null)
            {
                binding.Discard();
                Sender.Tell(CarriedSessionEnded.Instance);
            }
            else _carriers[session] = Sender;
        });
        Receive<RelayReleased>(_ => _budget.ReleaseRelay(Sender));
        Receive<LimitReached>(limit => _budget.CountRefusal(limit.Limit));
        Receive<PeerReady>(OnPeerReady);
        // One owner per connection (it can be used once): the asker that added the session, or else the subscribers.
        Receive<ConnectionReady>(ready =>
        {
            if (ready.Requester is { } requester) requester.Tell(new PxpExchange.Connected(ready.Connection));
            else Publish(new PxpExchange.ConnectionOpened(ready.Connection));
        });
        Receive<SessionFailed>(failed =>
        {
            if (_sessions.ContainsKey(Sender)) _failures[Sender] = failed.Error; // the reason its PeerRemoved will carry
            PxpMetrics.SessionErrors.Add(1, new KeyValuePair<string, object?>("kind", failed.Error.GetType().Name));
            Publish(new PxpExchange.PeerFailed(failed.Peer, failed.Error));
        });
        Receive<CandidatesWanted>(OnCandidatesWanted);
        Receive<ResolveCandidate>(OnResolveCandidate);
        Receive<UpgradeReceived>(OnUpgradeReceived);
        Receive<ChooseCandidate>(OnChooseCandidate);
        Receive<CandidateReleased>(released =>
        {
            if (released.NodeId is { } node && _connectingTo.TryGetValue(node, out var count))
            {
                if (count <= 1) _connectingTo.Remove(node);
                else _connectingTo[node] = count - 1;
            }
        });
        Receive<UpgradeRelay>(OnUpgradeRelay);
        Receive<UpgradeOpened>(OnUpgradeOpened);
        Receive<UpgradeFailed>(OnUpgradeFailed);
        Receive<ExpireCandidates>(_ => _candidates.Expire(Now()));
        Receive<Terminated>(OnTerminated);

        Receive<PxpExchange.ListPeers>(_ => Sender.Tell(new PxpExchange.PeerList(ReadyPeers().Select(p => p.Info).ToList())));
        Receive<PxpExchange.GetStats>(_ =>
        {
            var resources = new PxpExchange.ResourceUsage(_budget.Connections, _budget.ConnectionCap, _budget.PendingHandshakes,
                _budget.RelayedSessions, _budget.Relays, _resources.Substreams, _resources.BufferedBytes, _resources.Sockets.Open, Refusals(),
                _upgradedSessions.Count);
            var stats = new PxpExchange.Stats(_sessions.Count, _readyList.Count, _candidates.Count, 0, resources);
            // Session streams are not our children but the materializer's: ask it how many run.
            ((ActorMaterializer)_materializer).Supervisor
                .Ask<StreamSupervisor.Children>(StreamSupervisor.GetChildren.Instance, _settings.RequestTimeout)
                .PipeTo(Sender, success: children => stats with { Streams = children.Refs.Count });
        });
        Receive<PxpExchange.GetPeers>(get => ForwardToPeer(get.PeerId, new RequestCandidates()));
        Receive<PxpExchange.Relay>(relay => OnRelay(relay));
        Receive<PxpExchange.Disconnect>(OnDisconnect);
        Receive<PxpExchange.GetNewPeer>(_ => OnGetNewPeer());
        Receive<PublishConnection>(p => Publish(new PxpExchange.ConnectionOpened(p.Connection)));
        Receive<PxpExchange.Subscribe>(s =>
        {
            if (_subscribers.Add(s.Subscriber)) Context.Watch(s.Subscriber);
        });
        Receive<PxpExchange.Unsubscribe>(s =>
        {
            if (_subscribers.Remove(s.Subscriber)) Context.Unwatch(s.Subscriber);
        });
        Receive<PxpExchange.Listen>(listen => OnListen(listen.Address));
        Receive<ListenerBound>(OnListenerBound);
        Receive<ListenerFailed>(failed => Publish(new PxpExchange.ExchangeError(failed.Error)));
        Receive<ListenersStopped>(_ =>
        {
            _listenersStopping = false;
            if (_closing && _sessions.Count == 0) FinishClose();
        });
        Receive<PxpExchange.Close>(_ => OnClose());
        ReceiveAny(OnUnknown);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    /// <summary>A session's failure is that session's end, never the node's.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(e =>
        {
            _log.Warning("PXP session actor failed: {0}", e.Message); // the session's own failure was logged with its peer
            return Directive.Stop;
        });

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(ExpiryTimer, ExpireCandidates.Instance, TimeSpan.FromSeconds(1));
        if (_settings.Upkeep.TargetPeers > 0)
        {
            var callTimeout = _settings.GetNewPeerTimeout + _settings.HandshakeTimeout + _settings.RequestTimeout * 2;
            _upkeep = Context.ActorOf(SwarmUpkeepActor.Props(_settings.Upkeep, callTimeout), "upkeep");
        }
    }

    protected override void PostStop()
    {
        // Stopped without a Close: nothing may go on accepting for an exchange that is gone.
        foreach (var listener in _listeners) _ = listener.DisposeAsync().AsTask();
        _listeners.Clear();
    }

    // ---- listeners ----

    private void OnListen(Uri address)
    {
        if (_closing)
        {
            Sender.Tell(new Status.Failure(new MultiplexerClosedException("The exchange is closed")));
            return;
        }
        Task<Transports.ITransportListener> listening;
        try
        {
            var transport = Transports.UriTransports.For(address, _resources, _settings);
            var self = Self;
            var writeTimeout = _settings.WriteTimeout;
            // Told, not asked: nobody awaits an accepted session, so its connection goes to the subscribers.
            listening = transport.ListenAsync(address, stream =>
                {
                    var binding = new Transports.StreamTransportBinding(stream, writeTimeout, lendReadBuffers: true, transport: transport.Scheme);
                    self.Tell(new AddBoundPeer(binding, Incoming: true, transport.Scheme, Transports.UriTransports.RemoteEndPoint(stream)),
                        ActorRefs.NoSender);
                    return Task.CompletedTask;
                },
                error => self.Tell(new ListenerFailed(error)));
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or FormatException or System.Net.Sockets.SocketException)
        {
            Sender.Tell(new Status.Failure(e));
            return;
        }
        var requester = Sender;
        listening.PipeTo(Self, success: listener => new ListenerBound(listener, requester, null),
            failure: e => new ListenerBound(null, requester, e));
    }

    private void OnListenerBound(ListenerBound bound)
    {
        if (bound.Listener is not { } listener)
        {
            bound.Requester.Tell(new Status.Failure(bound.Error!));
            return;
        }
        if (_closing)
        {
            _ = listener.DisposeAsync().AsTask();
            bound.Requester.Tell(new Status.Failure(new MultiplexerClosedException("The exchange is closed")));
            return;
        }
        _listeners.Add(listener);
        _log.Info("PXP node on network {0} listening on {1}", _settings.NetworkId, listener.LocalAddress);
        bound.Requester.Tell(new PxpExchange.Listening(listener.LocalAddress));
    }

    /// <summary>Stops accepting before the sessions close; the close finishes once every listener has stopped.</summary>
    private void StopListeners()
    {
        if (_listeners.Count == 0) return;
        _listenersStopping = true;
        Task.WhenAll(_listeners.Select(l => l.DisposeAsync().AsTask()))
            .PipeTo(Self, success: () => ListenersStopped.Instance, failure: _ => ListenersStopped.Instance);
        _listeners.Clear();
    }

    // ---- sessions ----

    /// <summary>Starts a session, or refuses it (closed, or at a limit); returns its actor, or null when refused.</summary>
    private IActorRef? StartSession(Transports.TransportBinding? binding,
        Akka.Streams.Dsl.Flow<Akka.IO.ByteString, Akka.IO.ByteString, Akka.NotUsed>? transport,
        string transportName, bool incoming, bool relayed, IActorRef? requester, IPEndPoint? endPoint, bool nested = false,
        bool upgrading = false)
    {
        var address = endPoint?.Address;
        if (_closing)
        {
            requester?.Tell(new Status.Failure(new MultiplexerClosedException("The exchange is closed")));
            if (!relayed) Discard(binding, transport);
            return null;
        }
        if (_budget.RefuseSession(relayed, incoming, address) is { } refusal)
        {
            // Info, not Warning: a flood would print a line per connection; the refusal counts are in the stats.
            _log.Info("PXP session over {0}{1} refused: {2}", transportName, endPoint is null ? "" : $" from {endPoint}", refusal);
            requester?.Tell(new Status.Failure(new PxpRequestException(refusal)));
            if (!relayed) Discard(binding, transport);
            return null;
        }
        var id = $"{transportName}-{++_nextPeerNumber}";
        var origin = new SessionOrigin(id, binding, transport, transportName, incoming, relayed, requester, nested, endPoint?.ToString(),
            upgrading);
        // Props with arguments, not an expression: compiling an expression per session costs more than the actor.
        var props = new Props(SessionDeploy, typeof(PeerActor), _settings, origin, Self, _materializer, _graphs, _announced, _time);
        var peer = Context.ActorOf(props, $"peer-{_nextPeerNumber}");
        Context.Watch(peer);
        _sessions[peer] = null;
        _handshaking[peer] = System.Diagnostics.Stopwatch.GetTimestamp();
        _budget.Admit(peer, relayed, incoming, address);
        return peer;
    }

    /// <summary>A refused session's transport is released: its socket closed, or a flow run empty so it can close.</summary>
    private void Discard(Transports.TransportBinding? binding,
        Akka.Streams.Dsl.Flow<Akka.IO.ByteString, Akka.IO.ByteString, Akka.NotUsed>? transport)
    {
        binding?.Discard();
        if (transport is not null) Streams.UnusedFlow.Discard(transport, _materializer);
    }

    private IReadOnlyDictionary<string, long> Refusals()
    {
        var refusals = new Dictionary<string, long>(_budget.Refusals);
        var stage = _resources.StageRefusals;
        if (stage.Substreams > 0) refusals["substreams"] = stage.Substreams;
        if (stage.SessionBuffer > 0) refusals["session-buffer"] = stage.SessionBuffer;
        if (stage.NodeBuffer > 0) refusals["node-buffer"] = stage.NodeBuffer;
        // The same limits, met at the socket before the exchange hears of it: refused by the transport.
        foreach (var (limit, count) in _resources.Sockets.Refusals) refusals[limit] = refusals.GetValueOrDefault(limit) + count;
        return refusals;
    }

    private void OnPeerReady(PeerReady ready)
    {
        if (!_sessions.ContainsKey(Sender)) return;
        _sessions[Sender] = ready.Info;
        _budget.Ready(Sender);
        _readyList = _readyList.Add(ready.Info); // structural sharing: no copy of the whole table per change
        if (_handshaking.Remove(Sender, out var started))
        {
            PxpMetrics.HandshakeDuration.Record(PxpMetrics.SecondsSince(started));
            PxpMetrics.Handshakes.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        }
        PxpMetrics.Sessions.Add(1, SessionTags(ready.Info));
        // Debug: a busy hub has peers come and go all the time; failures are logged by the session at Info.
        _log.Debug("PXP peer {0} joined: {1}", Name(ready.Info), ready.Info);
        PeersChanged();
        Publish(new PxpExchange.PeerAdded(ready.Info, _readyList.Count));
        if (_upgrades.TryGetValue(Sender, out var signaling)) signaling.Tell(RelayedSessionReady.Instance);
        // The upgraded connection carries a session now: the relayed one it replaces ends, with end frames only.
        if (_replacing.Remove(Sender, out var relayed)) relayed.Tell(CloseSession.Instance);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_subscribers.Remove(terminated.ActorRef)) return;
        if (_upgradedSessions.Remove(terminated.ActorRef, out var upgraded))
        {
            // Its upgrade stopped with neither outcome (the actor failed): the relayed session has nothing left to do.
            _upgrades.Remove(upgraded);
            upgraded.Tell(CloseSession.Instance);
            return;
        }
        _upgrades.Remove(terminated.ActorRef);
        _upgraded.Remove(terminated.ActorRef);
        if (_replacing.Remove(terminated.ActorRef, out var replaced)) replaced.Tell(CloseSession.Instance);
        if (!_sessions.Remove(terminated.ActorRef, out var info)) return;
        _failures.Remove(terminated.ActorRef, out var reason);
        if (_handshaking.Remove(terminated.ActorRef))
            PxpMetrics.Handshakes.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        _budget.Remove(terminated.ActorRef);
        if (_carriers.Remove(terminated.ActorRef, out var carrier)) carrier.Tell(CarriedSessionEnded.Instance);
        _candidates.RemovePeer(terminated.ActorRef);
        if (info is not null)
        {
            _readyList = _readyList.Remove(info);
            PeersChanged();
        }
        if (info is not null)
        {
            _log.Debug("PXP peer {0} left{1}", Name(info), reason is null ? "" : $": {reason.Message}");
            PxpMetrics.Sessions.Add(-1, SessionTags(info));
            Publish(new PxpExchange.PeerRemoved(info, _readyList.Count, reason));
        }
        if (_disconnecting.Remove(terminated.ActorRef, out var askers))
            foreach (var asker in askers) asker.Tell(new PxpExchange.Disconnected(info?.Id ?? terminated.ActorRef.Path.Name));
        if (_closing && _sessions.Count == 0 && !_listenersStopping) FinishClose();
    }

    private void OnDisconnect(PxpExchange.Disconnect disconnect)
    {
        var session = _sessions.FirstOrDefault(s => s.Value?.Id == disconnect.PeerId).Key;
        if (session is null)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException($"No connected peer \"{disconnect.PeerId}\"")));
            return;
        }
        if (!_disconnecting.TryGetValue(session, out var askers)) _disconnecting[session] = askers = [];
        askers.Add(Sender);
        session.Tell(CloseSession.Instance);
    }

    /// <summary>How log lines name a peer: its id, and its address when it has one.</summary>
    internal static string Name(PeerInfo peer) => peer.RemoteAddress is null ? peer.Id : $"{peer.Id} at {peer.RemoteAddress}";

    private IActorRef? Asker() => Sender.IsNobody() ? null : Sender;

    /// <summary>Hands an immutable snapshot of the peer table to the facade, before any reply that depends on it.</summary>
    private void PeersChanged()
    {
        _onPeersChanged?.Invoke(_readyList);
        if (_upkeep is not null && !_closing) _upkeep.Tell(new PeerCountChanged(_readyList.Count(p => !p.Relayed)));
    }

    private IEnumerable<(IActorRef Actor, PeerInfo Info)> ReadyPeers() =>
        _sessions.Where(s => s.Value is not null).Select(s => (s.Key, s.Value!));

    private void ForwardToPeer(string peerId, object message)
    {
        var peer = ReadyPeers().FirstOrDefault(p => p.Info.Id == peerId);
        if (peer.Actor is null) Sender.Tell(new Status.Failure(new PxpRequestException($"No connected peer \"{peerId}\"")));
        else peer.Actor.Forward(message);
    }

    // ---- getpeers and relay lookups ----

    private void OnCandidatesWanted(CandidatesWanted wanted)
    {
        var expires = Now() + _settings.CandidateTtl;
        if (_candidateSource is not null)
        {
            IReadOnlyList<CustomCandidate> custom;
            try
            {
                custom = _candidateSource(wanted.Network);
            }
            catch (Exception e)
            {
                Sender.Tell(new CandidatesOffered(wanted.Nonce, [], $"Candidate source failed: {e.Message}"));
                return;
            }
            var offered = custom.Take(_settings.MaxCandidatesPerReply)
                .Select(c => new Candidate(_candidates.Add(Sender, null, c, expires), wanted.Network, c.ConnectInfo ?? ConnectInfo.StreamOnly))
                .ToList();
            Sender.Tell(new CandidatesOffered(wanted.Nonce, offered, null));
            return;
        }

        // Only peers that accept incoming sessions: a JS asker crashes on a candidate whose connectInfo is null.
        var peers = ReadyPeers()
            .Where(p => !p.Actor.Equals(Sender) && p.Info.AcceptsIncoming)
            .OrderBy(_ => Random.Shared.Next())
            .Take(_settings.MaxCandidatesPerReply)
            .Select(p => new Candidate(_candidates.Add(Sender, p.Actor, null, expires), wanted.Network, p.Info.ConnectInfo))
            .ToList();
        Sender.Tell(new CandidatesOffered(wanted.Nonce, peers, null));
    }

    private void OnResolveCandidate(ResolveCandidate resolve)
    {
        if (!_candidates.TryGet(resolve.CandidateId, Sender, Now(), out var entry))
        {
            Sender.Tell(new CandidateResolved(resolve.Nonce, resolve.CandidateId, null, null,
                $"Peer requested unknown candidate: id={resolve.CandidateId}"));
            return;
        }
        if (entry.Target is { } target && _sessions.GetValueOrDefault(target) is not { AcceptsIncoming: true })
        {
            Sender.Tell(new CandidateResolved(resolve.Nonce, resolve.CandidateId, null, null,
                $"Candidate {resolve.CandidateId} does not accept incoming connections"));
            return;
        }
        if (_budget.TakeRelay(Sender) is { } refusal)
        {
            Sender.Tell(new CandidateResolved(resolve.Nonce, resolve.CandidateId, null, null, refusal));
            return;
        }
        Sender.Tell(new CandidateResolved(resolve.Nonce, resolve.CandidateId, entry.Target, entry.Custom, null));
    }

    // ---- the WebRTC upgrade ----

    /// <summary>
    /// A signal on a relayed session: for its upgrade in progress, or the first of a peer's upgrade, which we answer as the
    /// responder when the session was relayed to us (the reference's rule) and no limit or duplicate forbids it.
    /// </summary>
    private void OnUpgradeReceived(UpgradeReceived upgrade)
    {
        if (_upgrades.TryGetValue(Sender, out var signaling))
        {
            signaling.Tell(new RemoteSignal(upgrade.Signal));
            return;
        }
        // Candidates the peer still trickles after its upgrade finished: the session is on its way out.
        if (_upgraded.Contains(Sender)) return;
        if (RefuseUpgrade(upgrade.Peer) is { } refusal)
        {
            _log.Info("PXP upgrade of {0} refused: {1}", Name(upgrade.Peer), refusal);
            Publish(new PxpExchange.PeerFailed(upgrade.Peer, new PxpRequestException(refusal)));
            Sender.Tell(CloseSession.Instance);
            return;
        }
        signaling = StartSignaling(initiator: false, Sender, sessionReady: true, _settings.Upgrade.Timeout, requester: null);
        signaling.Tell(new RemoteSignal(upgrade.Signal));
    }

    private string? RefuseUpgrade(PeerInfo peer)
    {
        if (!_carriers.ContainsKey(Sender)) return "Only a session relayed to this node can be upgraded by its peer";
        if (_closing) return "The exchange is closed";
        if (_upgradedSessions.Count >= _settings.Limits.MaxPendingUpgrades)
        {
            _budget.CountRefusal("upgrades");
            return $"Refused: {_settings.Limits.MaxPendingUpgrades} WebRTC upgrades are in progress (pxp.limits.max-pending-upgrades)";
        }
        if (peer.NodeId is not { } node) return null; // a JavaScript peer: no id to compare
        if (node == _nodeId) return "The peer is this node itself";
        if (ConnectedNodes().Contains(node)) return $"Already connected to node {node}";
        // Answering another upgrade from that node, or a new connection with it starting. (Our own upgrade toward it is
        // settled by the node ids just below, so that of two crossing upgrades exactly one goes on.)
        if (UpgradingNodes(except: Sender, answeringOnly: true).Contains(node)) return $"Already upgrading a session with node {node}";
        // Both ends are getting a new peer of each other at once: the upgrade of the node with the smaller id goes on.
        if (_connectingTo.ContainsKey(node) && string.CompareOrdinal(_nodeId, node) < 0) return $"Already connecting to node {node}";
        return null;
    }

    /// <summary>Node ids of the peers we hold a session with that is not relayed (relayed ones are on their way out).</summary>
    private HashSet<string> ConnectedNodes() =>
        ReadyPeers().Where(p => !p.Info.Relayed && p.Info.NodeId is not null).Select(p => p.Info.NodeId!).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Node ids of the relayed sessions being upgraded, in either role (or only those we answer), or whose upgraded
    /// connection is starting its session (the relayed session's peer is the same node).
    /// </summary>
    private HashSet<string> UpgradingNodes(IActorRef? except = null, bool answeringOnly = false) =>
        _upgrades.Keys.Where(session => !answeringOnly || _carriers.ContainsKey(session)).Concat(_replacing.Values)
            .Where(session => !session.Equals(except))
            .Select(session => _sessions.GetValueOrDefault(session)?.NodeId)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>getNewPeer's choice among the candidates a peer offered: the usable ones, then the selector's pick, reserved.</summary>
    private void OnChooseCandidate(ChooseCandidate choose)
    {
        if (choose.Candidates.Count == 0)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException("Peer did not return any candidates")));
            return;
        }
        var connected = ConnectedNodes();
        connected.UnionWith(UpgradingNodes());
        // A candidate that is not a PXP peer is a plain relayed stream (the reference's function candidates); a PXP one must
        // accept incoming (the reference crashes on one that does not) and be neither us nor a node we have or are getting.
        var usable = choose.Candidates
            .Where(c => c.ConnectInfo is { } info && (!info.Pxp || info.NodeId is not { } node
                || (node != _nodeId && !connected.Contains(node) && !_connectingTo.ContainsKey(node))))
            .ToList();
        if (usable.Count == 0)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException(
                $"None of the {choose.Candidates.Count} candidates the peer offered can be used: each is this node, a node it is " +
                "connected or connecting to, or does not accept incoming connections")));
            return;
        }
        Candidate chosen;
        try
        {
            chosen = _candidateSelector(usable);
        }
        catch (Exception e)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException($"The candidate selector failed: {e.Message}", e)));
            return;
        }
        if (chosen.ConnectInfo?.NodeId is { } chosenNode) _connectingTo[chosenNode] = _connectingTo.GetValueOrDefault(chosenNode) + 1;
        Sender.Tell(new CandidateChosen(chosen));
    }

    /// <summary>getNewPeer relays to a PXP candidate: a nested session over the relay, upgraded by us as the initiator.</summary>
    private void OnUpgradeRelay(UpgradeRelay upgrade)
    {
        if (_upgradedSessions.Count >= _settings.Limits.MaxPendingUpgrades)
        {
            _budget.CountRefusal("upgrades");
            upgrade.Relay.Close();
            Sender.Tell(new Status.Failure(new PxpRequestException(
                $"Refused: {_settings.Limits.MaxPendingUpgrades} WebRTC upgrades are in progress (pxp.limits.max-pending-upgrades)")));
            return;
        }
        var binding = SubstreamChannelBinding.CarryingSession(upgrade.Relay);
        var session = StartSession(binding, transport: null, "relay", incoming: false, relayed: false, requester: null, endPoint: null,
            nested: true, upgrading: true);
        if (session is null)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException("The exchange refused the relayed session (closed or at a limit)")));
            return;
        }
        var timeout = upgrade.TimeLeft < _settings.Upgrade.Timeout ? upgrade.TimeLeft : _settings.Upgrade.Timeout;
        StartSignaling(initiator: true, session, sessionReady: false, timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1), Sender);
    }

    private IActorRef StartSignaling(bool initiator, IActorRef session, bool sessionReady, TimeSpan timeout, IActorRef? requester)
    {
        var signaling = Context.ActorOf(SignalingRelayActor.Props(initiator, session, sessionReady, _webRtc, _webRtcOptions, timeout, requester));
        Context.Watch(signaling);
        _upgrades[session] = signaling;
        _upgradedSessions[signaling] = session;
        return signaling;
    }

    /// <summary>The data channel is open: it carries a new session, and the relayed session closes once that one is ready.</summary>
    private void OnUpgradeOpened(UpgradeOpened opened)
    {
        if (!_upgradedSessions.Remove(Sender, out var relayed)) return;
        _upgrades.Remove(relayed);
        _upgraded.Add(relayed);
        var binding = new Transports.StreamTransportBinding(opened.Transport, _settings.WriteTimeout, _settings.Upgrade.ReadBufferSize,
            transport: "webrtc");
        var session = StartSession(binding, transport: null, "webrtc", opened.Incoming, relayed: false, opened.Requester, endPoint: null);
        if (session is null) relayed.Tell(CloseSession.Instance);
        else _replacing[session] = relayed;
    }

    private void OnUpgradeFailed(UpgradeFailed failed)
    {
        if (!_upgradedSessions.Remove(Sender, out var relayed)) return;
        _upgrades.Remove(relayed);
        Publish(new PxpExchange.PeerFailed(_sessions.GetValueOrDefault(relayed), failed.Error));
        relayed.Tell(CloseSession.Instance);
    }

    // ---- getNewPeer and relay for the application ----

    private void OnRelay(PxpExchange.Relay relay)
    {
        var peer = ReadyPeers().FirstOrDefault(p => p.Info.Id == relay.PeerId);
        if (peer.Actor is null)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException($"No connected peer \"{relay.PeerId}\"")));
            return;
        }
        var timeout = _settings.RequestTimeout * 2;
        peer.Actor.Ask<RelayOpened>(new RequestRelay(relay.Candidate), timeout)
            .PipeTo(Sender, success: opened =>
                new PxpExchange.Relayed(new PxpConnection(null, false, "relay", opened.Stream)));
    }

    private void OnGetNewPeer()
    {
        // Relayed sessions are on their way to an upgrade or out: not a peer to ask.
        var peers = ReadyPeers().Where(p => !p.Info.Relayed).ToList();
        if (_closing || peers.Count == 0)
        {
            PxpMetrics.GetNewPeer.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            Sender.Tell(new Status.Failure(new InvalidOperationException(
                _closing ? "The exchange is closed" : "Not connected to any peers")));
            return;
        }
        Measured(NewPeerSearch.RunAsync(Self, peers, _settings, _time)).PipeTo(Sender);
    }

    private static async Task<PxpExchange.Connected> Measured(Task<PxpExchange.Connected> getNewPeer)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var connected = await getNewPeer.ConfigureAwait(false);
            outcome = "ok";
            return connected;
        }
        finally
        {
            PxpMetrics.GetNewPeerDuration.Record(PxpMetrics.SecondsSince(started));
            PxpMetrics.GetNewPeer.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static TagList SessionTags(PeerInfo peer) =>
        new() { { "transport", peer.Transport }, { "direction", PxpMetrics.Direction(peer.Incoming) } };

    /// <summary>An asker from outside is told at once that its message is not ours, rather than left to time out.</summary>
    private void OnUnknown(object message)
    {
        if (Sender.IsNobody() || Sender.Path.Parent.Equals(Self.Path))
        {
            Unhandled(message);
            return;
        }
        Sender.Tell(new Status.Failure(new NotSupportedException(
            $"The PXP exchange {_settings.NetworkId} does not understand {message.GetType().FullName}: send it the messages of PxpExchange")));
    }

    // ---- closing and events ----

    private void OnClose()
    {
        _closing = true;
        if (_upkeep is not null) Context.Stop(_upkeep);
        _closeRequesters.Add(Sender);
        StopListeners();
        if (_sessions.Count == 0)
        {
            if (_listenersStopping) return; // finished when they have stopped
            FinishClose();
            return;
        }
        foreach (var session in _sessions.Keys) session.Tell(CloseSession.Instance);
    }

    private void FinishClose()
    {
        foreach (var requester in _closeRequesters) requester.Tell(new PxpExchange.Closed());
        _closeRequesters.Clear();
    }

    private void Publish(PxpExchange.IExchangeEvent e)
    {
        foreach (var subscriber in _subscribers) subscriber.Tell(e);
    }

    private sealed record ListenerBound(Transports.ITransportListener? Listener, IActorRef Requester, Exception? Error);

    private sealed record ListenerFailed(Exception Error);

    private sealed record ListenersStopped
    {
        public static ListenersStopped Instance { get; } = new();
    }

    private sealed record ExpireCandidates
    {
        public static ExpireCandidates Instance { get; } = new();
    }
}
