using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Implementation;
using PxpActors.Carriers;
using PxpActors.Diagnostics;
using PxpActors.Ids;
using PxpActors.Protocol.Rpc;
using PxpActors.Resources;
using PxpActors.Sessions;
using PxpActors.Multiplexing;
using PxpActors.Relays;
using PxpActors.Transports;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Actors.Internal;

/// <summary>
/// One node on one network: supervises a PeerActor per session (a failure stops that session only) and a
/// SignalingRelayActor per WebRTC upgrade, keeps the session table, offers and resolves candidates for its sessions,
/// and publishes events to subscribers. Its concerns each have a class of their own: <see cref="SessionTable"/>,
/// <see cref="CandidateOffers"/>, <see cref="ExchangeUpgrades"/>, <see cref="ExchangeListeners"/>, <see cref="ExchangeBudget"/>.
/// </summary>
internal sealed class ExchangeActor : ReceiveActor, IWithTimers
{
    private const string ExpiryTimer = "candidate-expiry";

    private readonly ExchangeSettings _settings;
    private readonly CandidateSelector _candidateSelector;
    private readonly TimeProvider _time;
    // What our hello announces: accepting incoming, with our node id; null when we do not accept.
    private readonly ConnectInfo? _announced;
    private readonly Action<IReadOnlyList<PeerInfo>>? _onPeersChanged;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // One materializer for every session (one each would add a supervisor actor per session); session
    // streams run where session actors do.
    private readonly IMaterializer _materializer;
    private readonly SessionGraphs _graphs;
    private readonly SessionTable _sessions = new();
    private readonly CandidateOffers _candidates;
    private readonly NodeResources _resources;
    private readonly ExchangeBudget _budget;
    private readonly ExchangeUpgrades _upgrades;
    private readonly ExchangeListeners _listeners;
    // Relayed sessions and the session that carries each (it counts them against its peer's limit).
    private readonly Dictionary<IActorRef, IActorRef> _carriers = new();
    private readonly PeerLimit _peerLimit;
    // Askers of Disconnect, answered when the session has ended.
    private readonly Dictionary<IActorRef, List<IActorRef>> _disconnecting = new();
    private readonly ExchangeSubscribers _subscribers = new();
    private readonly List<IActorRef> _closeRequesters = [];
    private long _nextPeerNumber;
    private bool _closing;
    private IActorRef? _upkeep;

    public ExchangeActor(ExchangeSettings settings, CandidateSource? candidateSource,
        Action<IReadOnlyList<PeerInfo>>? onPeersChanged, NodeResources? resources = null, ExchangePlugins? plugins = null)
    {
        plugins ??= new ExchangePlugins();
        _settings = settings;
        _candidateSelector = plugins.CandidateSelector ?? CandidateSelectors.Uniform;
        var webRtcOptions = plugins.WebRtcOptions ?? new PeerConnectionOptions();
        webRtcOptions = webRtcOptions with
        {
            IceServers = settings.Upgrade.IceServers,
            IncludeLoopback = settings.Upgrade.IncludeLoopback || webRtcOptions.IncludeLoopback,
            // One source for all of this node's upgrades: each one's certificate is made ahead, off its setup.
            CertificateSource = webRtcOptions.CertificateSource ?? new DtlsCertificateSource(webRtcOptions.Dtls, webRtcOptions.TimeProvider),
        };
        var nodeId = plugins.NodeId ?? NodeIds.Next();
        _time = plugins.TimeProvider ?? TimeProvider.System;
        _announced = settings.AllowIncoming ? settings.AnnounceNodeId ? ConnectInfo.AcceptingAs(nodeId) : ConnectInfo.Accepting : null;
        _onPeersChanged = onPeersChanged;
        _candidates = new CandidateOffers(settings, candidateSource, _time);
        // An application's own actor system may lack our defaults: the session dispatcher needs them.
        if (!Context.System.Settings.Config.HasPath(SessionProps.Dispatcher))
            Context.System.Settings.InjectTopLevelFallback(PxpConfig.Reference);
        _materializer = Context.Materializer(
            ActorMaterializerSettings.Create(Context.System).WithDispatcher(SessionProps.Dispatcher), namePrefix: "pxp");
        _resources = resources ?? new NodeResources(settings.Limits);
        _budget = new ExchangeBudget(settings.Limits, _resources.Sockets.Cap); // one cap, read from the file limit once
        _graphs = new SessionGraphs(settings.Multiplexer, _resources);
        _upgrades = new ExchangeUpgrades(settings, nodeId, _sessions, _carriers, _budget, plugins.WebRtc ?? PeerConnectionFactory.Instance,
            webRtcOptions, _time, _log);
        _listeners = new ExchangeListeners(settings, _resources, Self, _log);
        _peerLimit = new PeerLimit(settings.Upkeep);

        // Told without a sender, a session's connection has no asker to own it: it goes to the subscribers.
        Receive<PxpExchange.AddPeer>(add =>
            StartSession(binding: null, Carriers.CountedCarrier.Create(add.Transport, add.TransportName), add.TransportName, add.Incoming,
                relayed: false, Asker(), endPoint: null));
        Receive<PxpExchange.AddStreamPeer>(OnAddStreamPeer);
        Receive<PxpExchange.AddNestedPeer>(OnAddNestedPeer);
        Receive<AddRelayedPeer>(OnAddRelayedPeer);
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
            _sessions.Failing(Sender, failed.Error); // the reason its PeerRemoved will carry
            PxpMetrics.SessionErrors.Add(1, new KeyValuePair<string, object?>("kind", failed.Error.GetType().Name));
            Publish(new PxpExchange.PeerFailed(failed.Peer, failed.Error));
        });
        Receive<CandidatesWanted>(wanted => _candidates.Offer(wanted, Sender, _sessions));
        Receive<ResolveCandidate>(resolve => _candidates.Resolve(resolve, Sender, _sessions, _budget));
        Receive<CandidateOffers.ExpireTick>(_ =>
        {
            _candidates.Expire();
            _upgrades.ExpireStandby();
        });
        Receive<UpgradeReceived>(upgrade => _upgrades.OnUpgradeReceived(upgrade, Sender, _closing, Context, Publish));
        Receive<ChooseCandidate>(choose => _upgrades.OnChooseCandidate(choose, Sender, _candidateSelector));
        Receive<CandidateReleased>(_upgrades.OnCandidateReleased);
        Receive<UpgradeRelay>(upgrade => _upgrades.OnUpgradeRelay(upgrade, Sender, Context, StartUpgradeSession));
        Receive<UpgradeOpened>(opened => _upgrades.OnUpgradeOpened(opened, Sender, StartUpgradeSession));
        Receive<UpgradeFailed>(failed => _upgrades.OnUpgradeFailed(failed, Sender, Publish));
        Receive<Terminated>(OnTerminated);

        Receive<PxpExchange.ListPeers>(_ => Sender.Tell(new PxpExchange.PeerList(_sessions.ReadyPeers().Select(p => p.Info).ToList())));
        Receive<PxpExchange.GetStats>(_ => BudgetUsage.ReplyStats(Sender, _sessions, _candidates.Count, _budget, _resources,
            _upgrades.InProgress, _upgrades.Standby, _materializer, _settings.RequestTimeout));
        Receive<PxpExchange.GetPeers>(get => ForwardToPeer(get.PeerId, new RequestCandidates()));
        Receive<PxpExchange.Relay>(OnRelay);
        Receive<PxpExchange.Disconnect>(OnDisconnect);
        Receive<PxpExchange.GetNewPeer>(_ => OnGetNewPeer());
        Receive<PublishConnection>(p => Publish(new PxpExchange.ConnectionOpened(p.Connection)));
        Receive<PxpExchange.Subscribe>(s => _subscribers.Subscribe(s.Subscriber, Context));
        Receive<PxpExchange.Unsubscribe>(s => _subscribers.Unsubscribe(s.Subscriber, Context));
        Receive<PxpExchange.Listen>(listen => _listeners.Listen(listen.Address, Sender, _closing));
        Receive<ExchangeListeners.Bound>(bound => _listeners.OnBound(bound, _closing));
        Receive<ExchangeListeners.Failed>(failed => Publish(new PxpExchange.ExchangeError(failed.Error)));
        Receive<ExchangeListeners.Stopped>(_ =>
        {
            _listeners.OnStopped();
            if (_closing && _sessions.Count == 0) FinishClose();
        });
        Receive<PxpExchange.Close>(_ => OnClose());
        ReceiveAny(OnUnknown);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A session's failure is that session's end, never the node's.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(e =>
        {
            _log.Warning("PXP session actor failed: {0}", e.Message); // the session's own failure was logged with its peer
            return Directive.Stop;
        });

    protected override void PreStart()
    {
        // On the scheduler, as the candidates' expiry times are on the node's clock: both virtual under a test scheduler.
        Timers.StartPeriodicTimer(ExpiryTimer, CandidateOffers.ExpireTick.Instance, TimeSpan.FromSeconds(1));
        if (_settings.Upkeep.TargetPeers > 0)
        {
            var callTimeout = _settings.GetNewPeerTimeout + _settings.HandshakeTimeout + _settings.RequestTimeout * 2;
            _upkeep = Context.ActorOf(SwarmUpkeepActor.Props(_settings.Upkeep, callTimeout), "upkeep");
        }
    }

    protected override void PostStop()
    {
        _listeners.DisposeAll();
        _upgrades.Close();
    }

    // ---- sessions ----

    private void OnAddStreamPeer(PxpExchange.AddStreamPeer add)
    {
        // The multiplexer is given the stage's sender and lender, and so copies or leases what it keeps: the stage may lend its read buffers.
        var binding = StreamCarriers.For(add.Stream, _settings.WriteTimeout, add.TransportName);
        StartSession(binding, transport: null, add.TransportName, add.Incoming, relayed: false, Asker(), UriTransports.RemoteEndPoint(add.Stream));
    }

    private void OnAddNestedPeer(PxpExchange.AddNestedPeer add)
    {
        SubstreamChannel carrier;
        try
        {
            carrier = add.Carrier.ClaimChannel();
        }
        catch (InvalidOperationException e)
        {
            Sender.Tell(new Status.Failure(e));
            return;
        }
        // Nested: the session shows as relayed, as at the other end.
        StartSession(SubstreamCarrierBinding.CarryingSession(carrier, add.TransportName), transport: null, add.TransportName, add.Incoming,
            relayed: false, Asker(), endPoint: null, nested: true);
    }

    private void OnAddRelayedPeer(AddRelayedPeer add)
    {
        var binding = SubstreamCarrierBinding.CarryingSession(add.Relay);
        var session = _settings.AllowIncoming && _peerLimit.Admits(_log)
            ? StartSession(binding, transport: null, "relay", incoming: true, relayed: true, requester: null, endPoint: null)
            : null;
        if (session is null)
        {
            binding.Discard();
            Sender.Tell(CarriedSessionEnded.Instance);
            return;
        }
        _carriers[session] = Sender;
        _peerLimit.Recount(_sessions, _carriers.Count);
    }

    private IActorRef? StartUpgradeSession(CarrierBinding binding, string transportName, bool incoming, IActorRef? requester, bool nested,
        bool upgrading) =>
        // The session over the upgraded connection (not the relayed one being upgraded) sends connect right behind its hello.
        StartSession(binding, transport: null, transportName, incoming, relayed: false, requester, endPoint: null, nested, upgrading,
            eagerConnect: !upgrading);

    /// <summary>Starts a session, or refuses it (closed, or at a limit); returns its actor, or null when refused.</summary>
    private IActorRef? StartSession(CarrierBinding? binding, Akka.Streams.Dsl.Flow<Akka.IO.ByteString, Akka.IO.ByteString, Akka.NotUsed>? transport,
        string transportName, bool incoming, bool relayed, IActorRef? requester, IPEndPoint? endPoint, bool nested = false,
        bool upgrading = false, bool eagerConnect = false)
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
            upgrading, eagerConnect);
        // Props with arguments, not an expression: compiling an expression per session costs more than the actor.
        var props = new Props(SessionProps.Deploy, typeof(PeerActor), _settings, origin, Self, _materializer, _graphs, _announced, _time);
        var peer = Context.ActorOf(props, $"peer-{_nextPeerNumber}");
        if (_peerLimit.Full) peer.Tell(PeerLimitChanged.Reached);
        Context.Watch(peer);
        _sessions.Started(peer);
        _budget.Admit(peer, relayed, incoming, address);
        return peer;
    }

    /// <summary>A refused session's transport is released: its socket closed, or a flow run empty so it can close.</summary>
    private void Discard(CarrierBinding? binding, Akka.Streams.Dsl.Flow<Akka.IO.ByteString, Akka.IO.ByteString, Akka.NotUsed>? transport)
    {
        binding?.Discard();
        if (transport is not null) Carriers.UnusedCarrier.Discard(transport, _materializer);
    }

    private void OnPeerReady(PeerReady ready)
    {
        if (!_sessions.Contains(Sender)) return;
        var started = _sessions.MarkReady(Sender, ready.Info);
        _budget.Ready(Sender);
        if (started is { } timestamp)
        {
            PxpMetrics.HandshakeDuration.Record(PxpMetrics.SecondsSince(timestamp));
            PxpMetrics.Handshakes.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        }
        PxpMetrics.Sessions.Add(1, SessionTags(ready.Info));
        // Debug: a busy hub has peers come and go all the time; failures are logged by the session at Info.
        _log.Debug("PXP peer {0} joined: {1}", Name(ready.Info), ready.Info);
        PeersChanged();
        Publish(new PxpExchange.PeerAdded(ready.Info, _sessions.Ready.Count));
        _upgrades.OnSessionReady(Sender);
    }

    private void OnTerminated(Terminated terminated)
    {
        var actor = terminated.ActorRef;
        if (_subscribers.Stopped(actor)) return;
        if (_upgrades.OnStopped(actor)) return;
        if (!_sessions.Remove(actor, out var info, out var reason, out var wasHandshaking)) return;
        if (wasHandshaking) PxpMetrics.Handshakes.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        _budget.Remove(actor);
        if (_carriers.Remove(actor, out var carrier)) carrier.Tell(CarriedSessionEnded.Instance);
        if (info is null) _peerLimit.Recount(_sessions, _carriers.Count); // a ready session's end recounts in PeersChanged
        _candidates.RemovePeer(actor);
        if (info is not null)
        {
            PeersChanged();
            _log.Debug("PXP peer {0} left{1}", Name(info), reason is null ? "" : $": {reason.Message}");
            PxpMetrics.Sessions.Add(-1, SessionTags(info));
            Publish(new PxpExchange.PeerRemoved(info, _sessions.Ready.Count, reason));
        }
        if (_disconnecting.Remove(actor, out var askers))
            foreach (var asker in askers) asker.Tell(new PxpExchange.Disconnected(info?.Id ?? actor.Path.Name));
        if (_closing && _sessions.Count == 0 && !_listeners.Stopping) FinishClose();
    }

    private void OnDisconnect(PxpExchange.Disconnect disconnect)
    {
        if (_sessions.Find(disconnect.PeerId) is not { } session)
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
        _onPeersChanged?.Invoke(_sessions.Ready);
        _peerLimit.Recount(_sessions, _carriers.Count);
        if (_upkeep is not null && !_closing) _upkeep.Tell(new PeerCountChanged(_sessions.Ready.Count(p => !p.Relayed)));
    }

    private void ForwardToPeer(string peerId, object message)
    {
        if (_sessions.Find(peerId) is { } peer) peer.Forward(message);
        else Sender.Tell(new Status.Failure(new PxpRequestException($"No connected peer \"{peerId}\"")));
    }

    // ---- getNewPeer and relay for the application ----

    private void OnRelay(PxpExchange.Relay relay)
    {
        if (_sessions.Find(relay.PeerId) is not { } peer)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException($"No connected peer \"{relay.PeerId}\"")));
            return;
        }
        var timeout = _settings.RequestTimeout * 2;
        peer.Ask<RelayOpened>(new RequestRelay(relay.Candidate), timeout)
            .PipeTo(Sender, success: opened =>
                new PxpExchange.Relayed(new PxpConnection(null, false, "relay", opened.Stream)));
    }

    private void OnGetNewPeer()
    {
        // Relayed sessions are on their way to an upgrade or out: not a peer to ask.
        var peers = _sessions.ReadyPeers().Where(p => !p.Info.Relayed).ToList();
        if (_closing || peers.Count == 0)
        {
            PxpMetrics.GetNewPeer.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            Sender.Tell(new Status.Failure(new InvalidOperationException(
                _closing ? "The exchange is closed" : "Not connected to any peers")));
            return;
        }
        NewPeerSearch.RunMeasuredAsync(Self, peers, _settings, _time, _upgrades.PrepareOffer).PipeTo(Sender);
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
        _upgrades.Close();
        if (_upkeep is not null) Context.Stop(_upkeep);
        _closeRequesters.Add(Sender);
        _listeners.StopAll();
        if (_sessions.Count == 0)
        {
            if (_listeners.Stopping) return; // finished when they have stopped
            FinishClose();
            return;
        }
        foreach (var session in _sessions.Actors) session.Tell(CloseSession.Instance);
    }

    private void FinishClose()
    {
        foreach (var requester in _closeRequesters) requester.Tell(new PxpExchange.Closed());
        _closeRequesters.Clear();
    }

    private void Publish(PxpExchange.IExchangeEvent e) => _subscribers.Publish(e);
}
