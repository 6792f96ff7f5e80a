using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.Multiplexing;
using PxpActors.Relays;

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
internal sealed class PeerActor : UntypedActor, IWithTimers
{
    private const string HandshakeTimer = "handshake";
    private const string PartingTimer = "parting";
    private static readonly TimeSpan PartingTimeout = TimeSpan.FromSeconds(2);

    private readonly ExchangeSettings _settings;
    private readonly SessionOrigin _origin;
    private readonly IActorRef _exchange;
    // Our requests awaiting the peer's reply, by our nonce.
    private readonly Dictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);
    // The peer's requests we answer once their substream is open, by the peer's nonce: the two sides count nonces
    // independently, so the peer's "4" and ours can be outstanding at once.
    private readonly Dictionary<string, PendingRequest> _answering = new(StringComparer.Ordinal);
    private readonly RequestRateLimiter _rateLimiter;
    private readonly IMaterializer _materializer;
    private readonly SessionGraphs _graphs;
    private readonly LineDecoder _lines;
    private readonly Action<ReadOnlyMemory<byte>> _onLine;
    private readonly ConnectInfo? _announced;
    private IMultiplexer _mux = null!;
    private SubstreamChannel? _rpc;
    private long _nextNonce;
    private PeerInfo? _info;
    private bool _dataStreamOpen;
    private bool _connectionReported;
    private bool _rpcStreamLive;
    // Relayed sessions our peer carries to us (its "incoming" requests), opening or running.
    private int _carriedSessions;
    // The hub's bookkeeping, made on the first relay (most sessions never ask for one: a node holds one PeerActor per peer).
    private HubRelays? _hub;
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
        _rateLimiter = new RequestRateLimiter(settings.MaxIncomingRequestsPerSecond, time);
        _lines = new LineDecoder(settings.MaxRpcLine);
        _onLine = OnRpcLine;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _mux = _origin.Binding is { } binding
            ? _graphs.Run(binding, _materializer)
            : _graphs.Run(_origin.Transport!, _materializer);
        var self = Self;
        _mux.Completion.ContinueWith(
            t => self.Tell(new TransportEnded(t.Exception?.GetBaseException())),
            TaskContinuationOptions.ExecuteSynchronously);
        // If this open fails the session is already over, and the completion below says why.
        // Usable at once: the open reaches the stage before the hello written on it.
        _rpc = _mux.OpenChannel("pxp", control: true);
        _rpcStreamLive = true;
        _rpc.ForwardTo(Self);
        Send(new Hello(NextNonce(), Hello.CurrentVersion, _announced, [_settings.NetworkId]));
        Timers.StartSingleTimer(HandshakeTimer, new HandshakeTimedOut(), _settings.HandshakeTimeout);
    }

    protected override void PostStop()
    {
        _mux?.Abort(new MultiplexerClosedException("The PXP session is closed"));
        // The asker is gone before its relays finished opening: whatever half opens has nobody to pipe it.
        if (_hub is { } hub)
        {
            var materializer = _materializer;
            foreach (var opening in hub.Opening.Values)
                opening.ContinueWith(t => t.Result.Halves?.Close(materializer), TaskContinuationOptions.ExecuteSynchronously);
            // Relays running through us end with the asker's session, on the candidate's side too (not only half-closed).
            foreach (var (halves, _) in hub.Running.Values) halves.Close(materializer);
            _hub = null;
        }
        foreach (var pending in _pending.Values)
            pending.ReplyTo?.Tell(new Status.Failure(new PxpRequestException("The PXP session closed before the reply")));
        _pending.Clear();
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
            case RequestCandidates:
                SendRequest(new GetPeers(NextNonce(), _settings.NetworkId), new PendingRequest(Sender));
                break;
            case RequestRelay request: OnRequestRelay(request); break;
            case OpenIncomingRelay open: OnOpenIncomingRelay(open); break;
            case SendUpgradeSignal signal: OnSendUpgradeSignal(signal); break;
            case CandidatesOffered offered: OnCandidatesOffered(offered); break;
            case CandidateResolved resolved: OnCandidateResolved(resolved); break;
            case RelayHalfOpened opened: OnRelayHalfOpened(opened); break;
            case RelayPipeEnded ended: RelayEnded(ended.CandidateId); break;
            case CarriedSessionEnded: _carriedSessions--; break;
            case Terminated terminated: OnCandidateSessionStopped(terminated.ActorRef); break;
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
            case RequestTimedOut timedOut: OnRequestTimedOut(timedOut); break;
            case SubstreamFor opened: OnSubstreamOpened(opened); break;
            case TransportEnded ended: OnTransportEnded(ended); break;
            case PartingTimedOut:
                Stop(null);
                Context.Stop(Self);
                break;
            case CloseSession: _mux.Close(); break;
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
            _lines.Decode(received.Data.ToReadOnlySpan(), _onLine);
        }
        catch (PxpProtocolException e)
        {
            Fail(e);
            return;
        }
        received.Channel.Release(received.Data.Count);
    }

    private void OnRpcStreamFinished(SubstreamFinished finished)
    {
        _rpcStreamLive = false;
        // The session's own failure says more than "the session is closed".
        if (finished.Error is not null) Fail(finished.Error is MultiplexerClosedException { InnerException: { } cause } ? cause : finished.Error);
        else if (!_lines.IsAtLineBoundary) Fail(new PxpProtocolException("The pxp stream ended in the middle of a message"));
        else Stop(null);
    }

    /// <summary>Each line of a chunk is handled before the next: a failure stops the rest.</summary>
    private void OnRpcLine(ReadOnlyMemory<byte> line)
    {
        if (_stopping) return;
        PxpMessage message;
        try
        {
            message = RpcCodec.Decode(line);
        }
        catch (PxpProtocolException e)
        {
            Fail(e);
            return;
        }

        if (message is not (Hello or Response) && !_rateLimiter.TryTake())
        {
            Fail(new PxpProtocolException(
                $"Peer is flooding: more than {_settings.MaxIncomingRequestsPerSecond} requests per second"));
            return;
        }

        if (message is not (Hello or Response)) Count(message.Command, "in", outcome: null);
        switch (message)
        {
            case Hello hello: OnHello(hello); break;
            case Response response: OnResponse(response); break;
            case var _ when _info is null:
                Fail(new PxpProtocolException($"Peer sent \"{message.Command}\" before hello"));
                break;
            case GetPeers getPeers: OnGetPeers(getPeers); break;
            case Relay relay: OnRelay(relay); break;
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
        if (hello.Version != Hello.CurrentVersion)
        {
            Fail(new PxpProtocolException(
                $"Peer has an invalid protocol version.theirs={hello.Version}, ours={Hello.CurrentVersion}"));
            return;
        }
        if (!hello.Networks.Contains(_settings.NetworkId))
        {
            Fail(new PxpProtocolException("Peer does not have any networks in common."));
            return;
        }
        Timers.Cancel(HandshakeTimer);
        _info = new PeerInfo(_origin.PeerId, _origin.TransportName, _origin.Incoming, _origin.Relayed || _origin.Nested,
            hello.ConnectInfo, hello.Networks) { RemoteAddress = _origin.RemoteAddress };
        Become(Ready);
        _exchange.Tell(new PeerReady(_info));
        if (!_origin.Incoming && !_origin.Relayed && !_origin.Upgrading) StartConnect();
    }

    // ---- connect: the application stream ----

    private void StartConnect()
    {
        // Register "data:net" before asking, so bytes the peer sends right after its reply are kept.
        var nonce = NextNonce();
        _dataStreamOpen = true; // a connect from the peer now is "twice", as in the reference
        _pending[nonce] = new PendingRequest(_origin.ConnectRequester, Kind: RequestKind.Connect);
        OpenSubstream($"data:{_settings.NetworkId}", nonce, awaitOpened: false);
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
        _answering[connect.Nonce] = new PendingRequest(null, Kind: RequestKind.AcceptConnect);
        OpenSubstream($"data:{connect.Network}", connect.Nonce, awaitOpened: false, theirs: true);
    }

    private void ConnectionOpened(SubstreamChannel data)
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

    // ---- relay: we are the hub ----

    /// <summary>
    /// The peer asks us to relay to a candidate. Refused here, before anything is opened toward the candidate, when
    /// the same candidate id is already being relayed for this peer (its "relay:id" substream is taken) or the peer
    /// has its limit of relays open; otherwise the id is reserved until the relay ends or fails.
    /// </summary>
    private void OnRelay(Relay relay)
    {
        var hub = _hub ??= new HubRelays();
        if (hub.Ids.Contains(relay.CandidateId))
        {
            Reply(relay.Nonce, Replies.Error($"Candidate {relay.CandidateId} is already being relayed for this peer"));
            return;
        }
        if (hub.Ids.Count >= _settings.MaxRelaysPerPeer)
        {
            Reply(relay.Nonce, Replies.Error($"Too many relays open through this node (limit {_settings.MaxRelaysPerPeer})"));
            return;
        }
        hub.Ids.Add(relay.CandidateId);
        _exchange.Tell(new ResolveCandidate(relay.Nonce, relay.CandidateId));
    }

    private void OnCandidateResolved(CandidateResolved resolved)
    {
        if (resolved.Error is not null)
        {
            _hub!.Ids.Remove(resolved.CandidateId);
            Reply(resolved.Nonce, Replies.Error(resolved.Error));
            return;
        }
        // The candidate's own request timeout answers first, with the clearer reason.
        var timeout = _settings.RequestTimeout + TimeSpan.FromSeconds(1);
        var source = _mux.OpenChannel($"relay:{resolved.CandidateId}");
        var toPeer = resolved.Target is { } target ? OpenIncomingAsync(target, timeout) : null;
        var toCustom = toPeer is null ? resolved.Custom!.Open() : null;
        var opening = RelayHalves.OpenAsync(source, toPeer, toCustom, _materializer);
        _hub!.Opening[resolved.Nonce] = opening;
        opening.PipeTo(Self, success: result =>
            new RelayHalfOpened(resolved.Nonce, resolved.CandidateId, resolved.Target, result.Halves, result.Error));
    }

    private static async Task<SubstreamChannel> OpenIncomingAsync(IActorRef target, TimeSpan timeout) =>
        (await target.Ask<RelayOpened>(new OpenIncomingRelay(RandomId.Next()), timeout)).Stream;

    private void OnRelayHalfOpened(RelayHalfOpened opened)
    {
        _hub!.Opening.Remove(opened.Nonce);
        if (opened.Halves is not { } halves)
        {
            RelayEnded(opened.CandidateId);
            Reply(opened.Nonce, Replies.Error($"Relay failed: {opened.Error}"));
            return;
        }
        if (_stopping)
        {
            halves.Close(_materializer);
            RelayEnded(opened.CandidateId);
            return;
        }
        // Reply first: the asker registers relay:<id> on the reply, and control frames go out ahead of data.
        Reply(opened.Nonce, Replies.Ok);
        _hub.Running[opened.CandidateId] = (halves, opened.Target);
        // A candidate session that ends abruptly leaves the asker's half open until the asker ends it: close it ourselves.
        if (opened.Target is { } candidate) Context.Watch(candidate);
        StartRelayPipe(opened.CandidateId, halves);
    }

    /// <summary>A candidate session we relay to has stopped: its relays end on the asker's side too.</summary>
    private void OnCandidateSessionStopped(IActorRef candidate)
    {
        foreach (var (halves, _) in _hub?.Running.Values.Where(r => candidate.Equals(r.Target)).ToList() ?? [])
            halves.Close(_materializer);
    }

    private void StartRelayPipe(string candidateId, RelayHalves halves)
    {
        var self = Self;
        var materializer = _materializer;
        var ended = new RelayPipeEnded(candidateId);
        // However the pipe ends (one side ended, failed or its session gone), both halves end with it.
        void Ended(Task _)
        {
            halves.Close(materializer);
            self.Tell(ended);
        }
        if (_settings.RelayBytesPerSecond <= 0 && halves.DestinationChannel is { } destination)
        {
            // Unthrottled between two of our sessions: channel to channel, no graph in between.
            SubstreamRelay.RunAsync(halves.Source, destination).ContinueWith(Ended, TaskContinuationOptions.ExecuteSynchronously);
            return;
        }
        // Each direction throttled.
        var relayed = SubstreamChannelFlow.Incoming(halves.Source)
            .Via(RelayThrottle.Create(_settings.RelayBytesPerSecond, toCandidate: true))
            .Via(halves.DestinationChannel is { } channel ? SubstreamChannelFlow.Create(channel) : halves.Destination!)
            .Via(RelayThrottle.Create(_settings.RelayBytesPerSecond, toCandidate: false))
            .WatchTermination(Keep.Right)
            .To(SubstreamChannelFlow.Outgoing(halves.Source))
            .Run(_materializer);
        relayed.ContinueWith(Ended, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>A relay for <paramref name="candidateId"/> is over (or never started): its id and its slots are free again.</summary>
    private void RelayEnded(string candidateId)
    {
        _hub!.Ids.Remove(candidateId);
        _hub.Running.Remove(candidateId);
        _exchange.Tell(new RelayReleased());
    }

    /// <summary>The hub asks this session's peer to take a relayed session on "relay:relayId".</summary>
    private void OnOpenIncomingRelay(OpenIncomingRelay open)
    {
        if (_info?.AcceptsIncoming != true)
        {
            Sender.Tell(new Status.Failure(new PxpRequestException("The candidate does not accept incoming connections")));
            return;
        }
        var nonce = NextNonce();
        _pending[nonce] = new PendingRequest(Sender, Kind: RequestKind.Incoming);
        OpenSubstream($"relay:{open.RelayId}", nonce, new Incoming(nonce, open.RelayId));
    }

    // ---- relay: we are the asker or the candidate ----

    private void OnRequestRelay(RequestRelay request)
    {
        var nonce = NextNonce();
        _pending[nonce] = new PendingRequest(Sender, Kind: RequestKind.Relay);
        OpenSubstream($"relay:{request.Candidate.Id}", nonce, new Relay(nonce, request.Candidate.Id));
    }

    private void OnIncoming(Incoming incoming)
    {
        if (!_settings.AllowIncoming)
        {
            Reply(incoming.Nonce, Replies.Error("This node does not accept incoming connections"));
            return;
        }
        if (_carriedSessions >= _settings.Limits.MaxIncomingRelaysPerPeer)
        {
            _exchange.Tell(new LimitReached("incoming-relays-per-peer"));
            Reply(incoming.Nonce, Replies.Error(
                $"Refused: this peer carries its limit of {_settings.Limits.MaxIncomingRelaysPerPeer} relayed sessions to us (pxp.limits)"));
            return;
        }
        _carriedSessions++; // until the exchange says the session it becomes has ended
        _answering[incoming.Nonce] = new PendingRequest(null, Kind: RequestKind.AcceptIncoming);
        OpenSubstream($"relay:{incoming.RelayId}", incoming.Nonce, theirs: true);
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
        Send(new Upgrade(NextNonce(), Upgrade.WebRtcTransport, signal.Signal));
    }

    // ---- substreams opened for a request or a reply ----

    /// <summary>
    /// Opens a substream for our request <paramref name="nonce"/> (in the pending table), or for the reply to the peer's
    /// (<paramref name="theirs"/>, in the answering table).
    /// </summary>
    /// <remarks>
    /// The application stream goes on at once (<paramref name="awaitOpened"/> false): its name cannot clash,
    /// and a refusal fails the connection itself. A relay's name comes from the peer, so it waits for the stage.
    /// </remarks>
    private void OpenSubstream(string name, string nonce, PxpMessage? thenSend = null, bool awaitOpened = true, bool theirs = false)
    {
        var channel = _mux.OpenChannel(name);
        if (!awaitOpened)
        {
            OnSubstreamOpened(new SubstreamFor(nonce, channel, thenSend, Theirs: theirs));
            return;
        }
        channel.Opened.PipeTo(Self,
            success: () => new SubstreamFor(nonce, channel, thenSend, Theirs: theirs),
            failure: e => new SubstreamFor(nonce, null, thenSend, e, theirs));
    }

    private void OnSubstreamOpened(SubstreamFor opened)
    {
        var table = opened.Theirs ? _answering : _pending;
        if (!table.TryGetValue(opened.Nonce, out var pending))
        {
            opened.Stream?.Close(); // its request is over already: nobody will use it
            return;
        }
        if (opened.Stream is null)
        {
            table.Remove(opened.Nonce);
            var error = opened.Error?.Message ?? "substream could not be opened";
            if (pending.Kind == RequestKind.AcceptIncoming) _carriedSessions--;
            pending.ReplyTo?.Tell(new Status.Failure(new PxpRequestException(error)));
            if (pending.Kind is RequestKind.AcceptConnect or RequestKind.AcceptIncoming)
                Reply(opened.Nonce, Replies.Error(error));
            return;
        }
        switch (pending.Kind)
        {
            case RequestKind.AcceptConnect:
                _answering.Remove(opened.Nonce);
                Reply(opened.Nonce, Replies.Ok); // a control frame: on the wire before any data the app writes
                ConnectionOpened(opened.Stream);
                break;
            case RequestKind.AcceptIncoming:
                _answering.Remove(opened.Nonce);
                Reply(opened.Nonce, Replies.Ok);
                _exchange.Tell(new AddRelayedPeer(opened.Stream));
                break;
            case RequestKind.Connect:
                _pending[opened.Nonce] = pending with { Stream = opened.Stream };
                SendRequest(new Connect(opened.Nonce, _settings.NetworkId), _pending[opened.Nonce]);
                break;
            default:
                _pending[opened.Nonce] = pending with { Stream = opened.Stream };
                SendRequest(opened.ThenSend!, _pending[opened.Nonce]);
                break;
        }
    }

    // ---- requests and replies ----

    private void SendRequest(PxpMessage request, PendingRequest pending)
    {
        _pending.Remove(request.Nonce);
        if (_pending.Count >= _settings.MaxPendingRequests)
        {
            pending.Stream?.Close();
            pending.ReplyTo?.Tell(new Status.Failure(new PxpRequestException(
                $"Too many requests waiting for replies (limit {_settings.MaxPendingRequests})")));
            return;
        }
        _pending[request.Nonce] = pending;
        Timers.StartSingleTimer(("request", request.Nonce), new RequestTimedOut(request.Nonce, request.Command),
            _settings.RequestTimeout);
        Send(request);
    }

    private void OnResponse(Response response)
    {
        if (!_pending.Remove(response.Nonce, out var pending))
        {
            Fail(new PxpProtocolException($"Peer sent a reply for unknown request nonce \"{response.Nonce}\""));
            return;
        }
        Timers.Cancel(("request", response.Nonce));
        switch (pending.Kind)
        {
            case RequestKind.GetPeers:
                var candidates = Replies.ReadCandidates(response.Args);
                Count("getpeers", "out", candidates.IsSuccess ? "ok" : "error");
                pending.ReplyTo?.Tell(candidates.IsSuccess
                    ? new PxpExchange.CandidateList(candidates.Value!)
                    : new Status.Failure(new PxpRequestException(candidates.Error!)));
                break;
            default:
                var status = Replies.ReadStatus(response.Args);
                Count(pending.Kind.ToString().ToLowerInvariant(), "out", status.IsSuccess ? "ok" : "error");
                if (!status.IsSuccess)
                {
                    pending.Stream?.Close(); // refused: the substream opened for it carries nothing
                    var error = new PxpRequestException(status.Error!);
                    pending.ReplyTo?.Tell(new Status.Failure(error));
                    if (pending.Kind == RequestKind.Connect)
                    {
                        _exchange.Tell(new SessionFailed(_info, error));
                        _mux.Close();
                    }
                    break;
                }
                if (pending.Kind == RequestKind.Connect) ConnectionOpened(pending.Stream!);
                else pending.ReplyTo?.Tell(new RelayOpened(pending.Stream!));
                break;
        }
    }

    private void OnRequestTimedOut(RequestTimedOut timedOut)
    {
        if (!_pending.Remove(timedOut.Nonce, out var pending)) return;
        Count(timedOut.Command, "out", "timeout");
        pending.Stream?.Close();
        var error = new PxpRequestException(
            $"No reply to \"{timedOut.Command}\" within {_settings.RequestTimeout.TotalSeconds:0.###} s");
        pending.ReplyTo?.Tell(new Status.Failure(error));
        if (pending.Kind == RequestKind.Connect) Fail(error);
    }

    private static void Count(string command, string direction, string? outcome) =>
        Diagnostics.PxpMetrics.Requests.Add(1, new System.Diagnostics.TagList
        {
            { "command", command }, { "direction", direction }, { "outcome", outcome },
        });

    private void Reply(string nonce, JsonElement args) => Send(new Response(nonce, args));

    private void Send(PxpMessage message) => _rpc?.TrySend(ByteString.FromBytes(RpcCodec.Encode(message)));

    private string NextNonce() => Nonce.Format(_nextNonce++);

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
        if (_rpc is null)
        {
            Context.Stop(Self);
            return;
        }
        _rpc.CompleteWrites();
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

    // ---- private messages ----

    private enum RequestKind { GetPeers, Relay, Incoming, Connect, AcceptConnect, AcceptIncoming }

    private sealed record PendingRequest(IActorRef? ReplyTo, RequestKind Kind = RequestKind.GetPeers, SubstreamChannel? Stream = null);

    /// <summary>A substream opened for a request (or failed to, with <paramref name="Error"/>), and what to send on it.</summary>
    /// <param name="Nonce">The request's nonce.</param>
    /// <param name="Stream">The substream; null when it could not be opened.</param>
    /// <param name="ThenSend">The request to send once it is open, if any.</param>
    /// <param name="Error">Why it could not be opened.</param>
    /// <param name="Theirs">The substream answers the peer's request <paramref name="Nonce"/>, not one of ours.</param>
    private sealed record SubstreamFor(string Nonce, SubstreamChannel? Stream, PxpMessage? ThenSend, Exception? Error = null, bool Theirs = false);

    /// <summary>The relays this session's peer has through us, as the hub.</summary>
    private sealed class HubRelays
    {
        // Candidate ids with a relay opening or open: one relay per id, and at most max-relays-per-peer.
        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        // Relays whose halves are still opening, by request nonce: if we stop first, their halves are closed once open.
        public Dictionary<string, Task<(RelayHalves? Halves, string? Error)>> Opening { get; } = new(StringComparer.Ordinal);

        // Relays piping, by candidate id, with the candidate's session when it is one of ours.
        public Dictionary<string, (RelayHalves Halves, IActorRef? Target)> Running { get; } = new(StringComparer.Ordinal);
    }

    private sealed record RelayHalfOpened(string Nonce, string CandidateId, IActorRef? Target, RelayHalves? Halves, string? Error);

    private sealed record RelayPipeEnded(string CandidateId);

    private sealed record TransportEnded(Exception? Error);

    private sealed record HandshakeTimedOut;

    private sealed record PartingTimedOut
    {
        public static PartingTimedOut Instance { get; } = new();
    }

    private sealed record RequestTimedOut(string Nonce, string Command);

}
