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
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly List<IActorRef> _closeRequesters = [];
    private readonly List<Transports.ITransportListener> _listeners = [];
    private bool _listenersStopping;
    private ImmutableList<PeerInfo> _readyList = ImmutableList<PeerInfo>.Empty;
    private long _nextPeerNumber;
    private bool _closing;

    public ExchangeActor(ExchangeSettings settings, CandidateSource? candidateSource,
        Action<IReadOnlyList<PeerInfo>>? onPeersChanged, NodeResources? resources = null)
    {
        _settings = settings;
        _candidateSource = candidateSource;
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
            StartSession(binding: null, add.Transport, add.TransportName, add.Incoming, relayed: false, Asker(), endPoint: null));
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
        Receive<ExpireCandidates>(_ => _candidates.Expire(DateTime.UtcNow));
        Receive<Terminated>(OnTerminated);

        Receive<PxpExchange.ListPeers>(_ => Sender.Tell(new PxpExchange.PeerList(ReadyPeers().Select(p => p.Info).ToList())));
        Receive<PxpExchange.GetStats>(_ =>
        {
            var resources = new PxpExchange.ResourceUsage(_budget.Connections, _budget.ConnectionCap, _budget.PendingHandshakes,
                _budget.RelayedSessions, _budget.Relays, _resources.Substreams, _resources.BufferedBytes, _resources.Sockets.Open, Refusals());
            var stats = new PxpExchange.Stats(_sessions.Count, _readyList.Count, _candidates.Count, 0, resources);
            // Session streams are not our children but the materializer's: ask it how many run.
            ((ActorMaterializer)_materializer).Supervisor
                .Ask<StreamSupervisor.Children>(StreamSupervisor.GetChildren.Instance, _settings.RequestTimeout)
                .PipeTo(Sender, success: children => stats with { Streams = children.Refs.Count });
        });
        Receive<PxpExchange.GetPeers>(get => ForwardToPeer(get.PeerId, new RequestCandidates()));
        Receive<PxpExchange.Relay>(relay => OnRelay(relay));
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

    /// <summary>A session's failure is that session's end, never the node's.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(e =>
        {
            _log.Warning("PXP session actor failed: {0}", e.Message); // the session's own failure was logged with its peer
            return Directive.Stop;
        });

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(ExpiryTimer, ExpireCandidates.Instance, TimeSpan.FromSeconds(1));

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
                    var binding = new Transports.StreamTransportBinding(stream, writeTimeout, lendReadBuffers: true);
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
        string transportName, bool incoming, bool relayed, IActorRef? requester, IPEndPoint? endPoint, bool nested = false)
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
        var origin = new SessionOrigin(id, binding, transport, transportName, incoming, relayed, requester, nested, endPoint?.ToString());
        // Props with arguments, not an expression: compiling an expression per session costs more than the actor.
        var props = new Props(SessionDeploy, typeof(PeerActor), _settings, origin, Self, _materializer, _graphs);
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
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_subscribers.Remove(terminated.ActorRef)) return;
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
        if (_closing && _sessions.Count == 0 && !_listenersStopping) FinishClose();
    }

    /// <summary>How log lines name a peer: its id, and its address when it has one.</summary>
    internal static string Name(PeerInfo peer) => peer.RemoteAddress is null ? peer.Id : $"{peer.Id} at {peer.RemoteAddress}";

    private IActorRef? Asker() => Sender.IsNobody() ? null : Sender;

    /// <summary>Hands an immutable snapshot of the peer table to the facade, before any reply that depends on it.</summary>
    private void PeersChanged() => _onPeersChanged?.Invoke(_readyList);

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
        var expires = DateTime.UtcNow + _settings.CandidateTtl;
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
        if (!_candidates.TryGet(resolve.CandidateId, Sender, DateTime.UtcNow, out var entry))
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

    private void OnUpgradeReceived(UpgradeReceived upgrade)
    {
        // The WebRTC upgrade is not wired in yet: refuse it clearly rather than leave the peer waiting.
        var error = new NotSupportedException("This node cannot upgrade sessions to WebRTC yet");
        Publish(new PxpExchange.PeerFailed(upgrade.Peer, error));
        Sender.Tell(CloseSession.Instance);
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
        var ready = ReadyPeers().ToList();
        if (_closing || ready.Count == 0)
        {
            PxpMetrics.GetNewPeer.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            Sender.Tell(new Status.Failure(new InvalidOperationException(
                _closing ? "The exchange is closed" : "Not connected to any peers")));
            return;
        }
        var (peer, _) = ready[Random.Shared.Next(ready.Count)];
        Measured(GetNewPeerThrough(peer, _settings.RequestTimeout * 2)).PipeTo(Sender);
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

    /// <summary>Runs outside the actor: it touches no actor state, only the refs it was given.</summary>
    private static async Task<PxpExchange.Connected> GetNewPeerThrough(IActorRef peer, TimeSpan timeout)
    {
        var list = await peer.Ask<PxpExchange.CandidateList>(new RequestCandidates(), timeout).ConfigureAwait(false);
        if (list.Candidates.Count == 0) throw new PxpRequestException("Peer did not return any candidates");
        var candidate = list.Candidates[Random.Shared.Next(list.Candidates.Count)];
        if (candidate.ConnectInfo?.Pxp == true)
            throw new NotSupportedException(
                $"Candidate {candidate.Id} speaks PXP and needs the WebRTC upgrade, which this node does not support yet");
        var opened = await peer.Ask<RelayOpened>(new RequestRelay(candidate), timeout).ConfigureAwait(false);
        return new PxpExchange.Connected(new PxpConnection(null, false, "relay", opened.Stream));
    }

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
