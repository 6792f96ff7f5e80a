using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using PxpActors.Protocol;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.Multiplexing;
using PxpActors.Relays;
using PxpActors.Sessions;

namespace PxpActors.Actors.Internal;

/// <summary>
/// One PXP session. Owns the materialized graph (transport ⇄ multiplexer with the magic check) and
/// aborts it when it stops, which releases the transport. Speaks the RPC of PROTOCOL.md section 3-4 on
/// the "pxp" substream, which the multiplexer forwards here chunk by chunk. Any protocol error stops
/// this actor only.
/// </summary>
/// <remarks>
/// A session is this actor and one fused graph, nothing more: the RPC and application substreams are
/// channels into the running stage rather than graphs of their own, so ten thousand idle peers stay cheap.
/// </remarks>
internal sealed class PeerActor : UntypedActor, IWithTimers, IRequestingSession
{
    private const string HandshakeTimer = "handshake";
    private const string PartingTimer = "parting";
    private static readonly TimeSpan PartingTimeout = TimeSpan.FromSeconds(2);

    private readonly ExchangeSettings _settings;
    private readonly SessionOrigin _origin;
    private readonly IActorRef _exchange;
    private readonly IMaterializer _materializer;
    private readonly SessionGraphs _graphs;
    private readonly Action<ReadOnlyMemory<byte>> _onLine;
    private readonly ConnectInfo? _announced;
    private readonly TimeProvider _time;
    private IMultiplexer _mux = null!;
    private SessionRpc _rpc = null!;
    private SessionRequests _requests = null!;
    private PeerInfo? _info;
    private bool _dataStreamOpen;
    private bool _connectionReported;
    private bool _rpcStreamLive;
    // Relayed sessions our peer carries to us (its "incoming" requests), opening or running.
    private int _carriedSessions;
    private bool _exchangeFull; // at pxp.max-peers: our peer's "incoming" requests (others' getNewPeer) are refused
    // The relays this session's peer has through us as the hub, made on the first (most sessions never ask for one).
    private SessionHub? _hub;
    private bool _stopping;

    public PeerActor(ExchangeSettings settings, SessionOrigin origin, IActorRef exchange, IMaterializer materializer, SessionGraphs graphs,
        ConnectInfo? announced, TimeProvider time)
    {
        _announced = announced;
        _settings = settings;
        _origin = origin;
        _exchange = exchange;
        _materializer = materializer;
        _graphs = graphs;
        _time = time;
        _onLine = OnRpcLine;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private SessionHub Hub => _hub ??= new SessionHub(_settings, _exchange, _materializer, _rpc, _time);

    /// <summary>A relay actor that fails ends its relay (its halves close as it stops); a restart would have nothing to pipe.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => StopRelayOnFailure;

    // One for every session: a strategy per actor would cost memory on a node of idle peers.
    private static readonly SupervisorStrategy StopRelayOnFailure = new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        _rpc = new SessionRpc(_settings, _time, Timers);
        _mux = _origin.Binding is { } binding
            ? _graphs.Run(binding, _materializer)
            : _graphs.Run(_origin.Transport!, _materializer);
        var self = Self;
        _mux.Completion.ContinueWith(t => self.Tell(new TransportEnded(t.Exception?.GetBaseException())), TaskContinuationOptions.ExecuteSynchronously);
        // If this open fails the session is already over, and the completion below says why.
        // Usable at once: the open reaches the stage before the hello written on it.
        _requests = new SessionRequests(_settings, _rpc, _mux, Self, _exchange, this);
        var rpc = _mux.OpenChannel("pxp", control: true);
        _rpc.Open(rpc.Writer);
        _rpcStreamLive = true;
        rpc.ForwardTo(Self);
        _rpc.Send(new Hello(_rpc.NextNonce(), Hello.CurrentVersion, _announced, [_settings.NetworkId]));
        Timers.StartSingleTimer(HandshakeTimer, new HandshakeTimedOut(), _settings.HandshakeTimeout);
        if (_origin.EagerConnect && !_origin.Incoming) StartConnect(); // its reply comes after the peer's hello
    }

    protected override void PostStop()
    {
        _mux?.Abort(new MultiplexerClosedException("The PXP session is closed"));
        // Relays through us end with the asker's session, on the candidate's side too: their actors, our children, stop
        // with us and close both halves.
        _rpc?.FailPending();
    }

    // ---- states ----

    // A switch per state rather than ReceiveActor's handler tables: those cost kilobytes per actor, and a
    // node holds one PeerActor per peer.
    /// <summary>Handshaking: waiting for the peer's hello.</summary>
    protected override void OnReceive(object message) => Common(message);

    private void Ready(object message)
    {
        switch (message)
        {
            case RequestCandidates: _requests.RequestCandidates(Sender); break;
            case RequestRelay request: _requests.Relay(request.Candidate, Sender); break;
            case OpenIncomingRelay open: OnOpenIncomingRelay(open); break;
            case SendUpgradeSignal signal: OnSendUpgradeSignal(signal); break;
            case CandidatesOffered offered: OnCandidatesOffered(offered); break;
            case CandidateResolved resolved: _hub?.OnCandidateResolved(resolved, _mux, Context); break;
            case HubRelayOpened opened: _hub?.OnOpened(opened, _stopping, Context); break;
            case HubRelayFailed failed: _hub?.OnFailed(failed, Sender); break;
            case CarriedSessionEnded: _carriedSessions--; break;
            case Terminated terminated: _hub?.OnStopped(terminated.ActorRef); break;
            default: Common(message); break;
        }
    }

    private void Common(object message)
    {
        switch (message)
        {
            case SubstreamReceived received: OnRpcChunk(received); break;
            case SubstreamFinished finished: OnRpcStreamFinished(finished); break;
            case HandshakeTimedOut:
                Fail(new PxpProtocolException($"No hello from the peer within {_settings.HandshakeTimeout.TotalSeconds:0.###} s"));
                break;
            case SessionRpc.RequestTimedOut timedOut: _requests.OnRequestTimedOut(timedOut); break;
            case SessionRequests.SubstreamFor opened: _requests.OnSubstreamOpened(opened); break;
            case TransportEnded ended: OnTransportEnded(ended); break;
            case PartingTimedOut:
                Stop(null);
                Context.Stop(Self);
                break;
            case CloseSession: _mux.Close(); break;
            case PeerLimitChanged changed: _exchangeFull = changed.Full; break;
            // Our hello went out in PreStart: the offer may follow it before the peer's hello arrives, as the reference's
            // initiator sends it (the peer reads our hello first, so it is ready for the upgrade when the offer comes).
            case SendUpgradeSignal signal when _origin.Upgrading: OnSendUpgradeSignal(signal); break;
            case RequestCandidates or RequestRelay or OpenIncomingRelay or SendUpgradeSignal:
                Sender.Tell(NotReady());
                break;
            default: Unhandled(message); break;
        }
    }

    private void OnTransportEnded(TransportEnded ended)
    {
        if (_stopping) Context.Stop(Self);
        else if (ended.Error is not null) Fail(ended.Error);
        // Lines the peer sent before closing may still be on their way: the end of the RPC stream follows them.
        else if (_rpcStreamLive) Timers.StartSingleTimer(PartingTimer, PartingTimedOut.Instance, PartingTimeout);
        else Stop(null);
    }

    // ---- the RPC substream ----

    private void OnRpcChunk(SubstreamReceived received)
    {
        if (_stopping) return;
        try
        {
            _rpc.Read(received.Data.ToReadOnlySpan(), _onLine);
        }
        catch (PxpProtocolException e)
        {
            Fail(e);
            return;
        }
        received.From.Release(received.Data.Count);
    }

    private void OnRpcStreamFinished(SubstreamFinished finished)
    {
        _rpcStreamLive = false;
        // The session's own failure says more than "the session is closed".
        if (finished.Error is not null) Fail(finished.Error is MultiplexerClosedException { InnerException: { } cause } ? cause : finished.Error);
        else if (!_rpc.IsAtLineBoundary) Fail(new PxpProtocolException("The pxp stream ended in the middle of a message"));
        else Stop(null);
    }

    /// <summary>Each line of a chunk is handled before the next: a failure stops the rest.</summary>
    private void OnRpcLine(ReadOnlyMemory<byte> line)
    {
        if (_stopping) return;
        PxpMessage message;
        try
        {
            message = _rpc.Decode(line); // malformed, or one request too many
        }
        catch (PxpProtocolException e)
        {
            Fail(e);
            return;
        }
        switch (message)
        {
            case Hello hello: OnHello(hello); break;
            case Response response: _requests.OnResponse(response); break;
            case var _ when _info is null:
                Fail(new PxpProtocolException($"Peer sent \"{message.Command}\" before hello"));
                break;
            case GetPeers getPeers: OnGetPeers(getPeers); break;
            case Relay relay: Hub.OnRelay(relay); break;
            case Incoming incoming: OnIncoming(incoming); break;
            case Connect connect: OnConnect(connect); break;
            case Upgrade upgrade: OnUpgrade(upgrade); break;
        }
    }

    private void OnHello(Hello hello)
    {
        if (_info is not null)
        {
            Context.GetLogger().Debug("Peer {0} sent hello twice; ignored as the reference does", ExchangeActor.Name(_info));
            return;
        }
        if (HelloCheck.Refuse(hello, _settings.NetworkId) is { } refusal)
        {
            Fail(new PxpProtocolException(refusal));
            return;
        }
        Timers.Cancel(HandshakeTimer);
        _info = new PeerInfo(_origin.PeerId, _origin.TransportName, _origin.Incoming, _origin.Relayed || _origin.Nested,
            hello.ConnectInfo, hello.Networks) { RemoteAddress = _origin.RemoteAddress };
        Become(Ready);
        _exchange.Tell(new PeerReady(_info));
        if (!_origin.Incoming && !_origin.Relayed && !_origin.Upgrading && !_origin.EagerConnect) StartConnect();
    }

    // ---- connect: the application stream ----

    private void StartConnect()
    {
        _dataStreamOpen = true; // a connect from the peer now is "twice", as in the reference
        _requests.Connect(_origin.ConnectRequester);
    }

    private void OnConnect(Connect connect)
    {
        if (connect.Network != _settings.NetworkId)
        {
            Reply(connect.Nonce, Replies.Error($"Peer tried to connect for unsupported network \"{connect.Network}\""));
            return;
        }
        if (_dataStreamOpen)
        {
            Reply(connect.Nonce, Replies.Error($"Peer tried to connect to network \"{connect.Network}\" twice"));
            Fail(new PxpProtocolException($"Peer tried to connect to network \"{connect.Network}\" twice"));
            return;
        }
        _dataStreamOpen = true;
        _requests.AcceptConnect(connect.Nonce, connect.Network);
    }

    void IRequestingSession.ConnectionOpened(SubstreamChannel data)
    {
        _connectionReported = true;
        var connection = new PxpConnection(_info, _origin.Incoming, _origin.TransportName, data);
        _exchange.Tell(new ConnectionReady(connection, _origin.ConnectRequester));
    }

    // ---- getpeers ----

    private void OnGetPeers(GetPeers getPeers)
    {
        if (getPeers.Network != _settings.NetworkId)
        {
            var message = $"Peer requested an unknown network:\"{getPeers.Network}\""; // the reference's text, byte for byte
            Reply(getPeers.Nonce, Replies.CandidatesError(message));
            Fail(new PxpProtocolException(message));
            return;
        }
        _exchange.Tell(new CandidatesWanted(getPeers.Nonce, getPeers.Network));
    }

    private void OnCandidatesOffered(CandidatesOffered offered) =>
        Reply(offered.Nonce, offered.Error is null
            ? Replies.Candidates(offered.Candidates)
            : Replies.CandidatesError(offered.Error));

    // ---- relay: we are the hub (SessionHub), the candidate or the asker ----

    /// <summary>The hub asks this session's peer to take a relayed session on "relay:relayId".</summary>
    private void OnOpenIncomingRelay(OpenIncomingRelay open)
    {
        if (_info?.AcceptsIncoming != true)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException("The candidate does not accept incoming connections")));
            return;
        }
        _requests.Incoming(open.RelayId, Sender);
    }

    private void OnIncoming(Incoming incoming)
    {
        // The refusal, and the limit it counts against in the node's stats (none for a node that takes no incoming at all).
        var (refusal, limit) = !_settings.AllowIncoming ? ("This node does not accept incoming connections", null)
            : _exchangeFull ? (PeerLimit.Refusing(_settings.Upkeep.MaxPeers), "max-peers")
            : _carriedSessions >= _settings.Limits.MaxIncomingRelaysPerPeer
                ? ($"Refused: this peer carries its limit of {_settings.Limits.MaxIncomingRelaysPerPeer} relayed sessions to us (pxp.limits)",
                    "incoming-relays-per-peer")
                : ((string?)null, (string?)null);
        if (refusal is not null)
        {
            if (limit is not null) _exchange.Tell(new LimitReached(limit));
            Reply(incoming.Nonce, Replies.Error(refusal));
            return;
        }
        _carriedSessions++; // until the exchange says the session it becomes has ended
        _requests.AcceptIncoming(incoming.Nonce, incoming.RelayId);
    }

    // ---- upgrade ----

    private void OnUpgrade(Upgrade upgrade)
    {
        if (!IsRelayedSession)
        {
            Fail(new PxpProtocolException("Peer sent upgrade on a session that is not relayed"));
            return;
        }
        if (upgrade.Transport != Upgrade.WebRtcTransport)
        {
            Fail(new PxpProtocolException($"Peer requested upgrade via unknown transport: \"{upgrade.Transport}\""));
            return;
        }
        // Never answered: the reference throws on a reply to upgrade.
        _exchange.Tell(new UpgradeReceived(_info!, upgrade.Transport, upgrade.Signal));
    }

    /// <summary>Relayed at either end: carried to us by a hub, or opened by us over a relay connection.</summary>
    private bool IsRelayedSession => _origin.Relayed || _origin.Nested;

    private void OnSendUpgradeSignal(SendUpgradeSignal signal)
    {
        if (!IsRelayedSession)
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException("Can only upgrade relayed connections")));
            return;
        }
        _rpc.Send(new Upgrade(_rpc.NextNonce(), Upgrade.WebRtcTransport, signal.Signal));
    }

    void IRequestingSession.ConnectRefused(PxpRequestException error)
    {
        _exchange.Tell(new SessionFailed(_info, error));
        _mux.Close();
    }

    void IRequestingSession.CarriedSessionRefused() => _carriedSessions--;

    void IRequestingSession.Fail(Exception error) => Fail(error);

    private void Reply(string nonce, JsonElement args) => _rpc.Reply(nonce, args);

    private Status.Failure NotReady() =>
        new(new PxpRequestException("The PXP session has not finished its handshake"));

    // ---- ending ----

    /// <summary>
    /// The session is over because of the peer: report it, let a parting reply already queued on "pxp"
    /// reach the peer (as the reference writes its error reply before closing), then stop.
    /// </summary>
    private void Fail(Exception error)
    {
        if (_stopping) return;
        _stopping = true;
        Context.GetLogger().Info("PXP session {0}{1} closed: {2}", _origin.PeerId,
            _origin.RemoteAddress is null ? "" : $" at {_origin.RemoteAddress}", error.Message);
        _exchange.Tell(new SessionFailed(_info, error));
        if (!_connectionReported) _origin.ConnectRequester?.Tell(new Status.Failure(error));
        if (_rpc?.Channel is not { } rpc)
        {
            Context.Stop(Self);
            return;
        }
        rpc.CompleteWrites();
        _mux.CloseAfter("pxp");
        Timers.StartSingleTimer(PartingTimer, PartingTimedOut.Instance, PartingTimeout);
    }

    /// <summary>The transport ended or we were told to close: stop at once.</summary>
    private void Stop(Exception? error)
    {
        if (_stopping) return;
        _stopping = true;
        if (!_connectionReported)
            _origin.ConnectRequester?.Tell(new Status.Failure(error ?? new PxpRequestException(
                "The peer closed the connection before the session was ready")));
        Context.Stop(Self);
    }
}
