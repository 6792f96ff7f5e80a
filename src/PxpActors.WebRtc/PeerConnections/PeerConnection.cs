using System.Threading.Channels;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Ice.Mdns;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sdp;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.WebRtc.PeerConnections;

/// <summary>
/// Our WebRTC data-channel peer connection: an <see cref="IceAgent"/> finds the path, a
/// <see cref="DtlsConnection"/> secures it (role from <c>a=setup</c>, certificate checked against the
/// peer's <c>a=fingerprint</c>), an <see cref="SctpTransport"/> runs over it (ports and the peer's
/// <c>a=max-message-size</c> from its description) and a <see cref="DataChannelEndpoint"/> carries the
/// channels. Each layer owns the one below, so closing the endpoint releases the whole stack.
/// </summary>
public sealed class PeerConnection : IWebRtcPeerConnection
{
    private const string OfferMid = "0";

    private readonly PeerConnectionOptions _options;
    private readonly IceAgent _agent;
    private readonly DtlsCertificate _certificate;
    private readonly object _gate = new();
    private readonly object _signalGate = new();
    private readonly List<IceCandidate> _unsignalledCandidates = [];
    private readonly CancellationTokenSource _closing = new();
    private readonly Channel<IWebRtcDataChannel> _accepted;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _started;
    private DtlsPreparedConnection? _preparedDtls;
    private SessionDescription? _local;
    private SdpDataChannel? _remote;
    private SessionDescriptionType? _remoteType;
    private SessionDescription? _remoteOffer;
    private DtlsRole? _dtlsRole;
    private string _mid = OfferMid;
    private HashSet<IceCandidate> _describedCandidates = [];
    private bool _localSignalled;
    private Task? _connecting;
    private Task? _acceptLoop;
    private DataChannelEndpoint? _endpoint;
    private DtlsConnection? _dtls;
    private SctpTransport? _sctp;
    private bool _closeStarted;
    private PeerConnectionState _state = PeerConnectionState.New;

    /// <summary>A peer connection configured by <paramref name="options"/> (defaults when null); nothing is sent until an offer or a signal.</summary>
    public PeerConnection(PeerConnectionOptions? options = null)
    {
        _options = options ?? new PeerConnectionOptions();
        _certificate = _options.Certificate ?? _options.CertificateSource?.Next()
            ?? DtlsCertificate.Generate(_options.TimeProvider, _options.Dtls.CertificateLifetime);
        _accepted = Channel.CreateBounded<IWebRtcDataChannel>(new BoundedChannelOptions(_options.MaxPendingAcceptedChannels)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleWriter = true,
        });
        _agent = new IceAgent(new IceAgentOptions
        {
            Role = _options.Initiator ? IceRole.Controlling : IceRole.Controlled,
            StunServers = _options.IceServers,
            IncludeLoopback = _options.IncludeLoopback,
            LocalAddresses = _options.LocalAddresses,
            TimeProvider = _options.TimeProvider,
            ConnectTimeout = _options.IceConnectTimeout,
            ResolveHostName = _options.ResolveHostName ?? MdnsResolver.ResolveAsync,
        }, _options.Network);
        _agent.LocalCandidateGathered += OnLocalCandidate;
        _agent.ConnectionStateChanged += OnIceStateChanged;
        _connected.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed even if nobody waits
    }

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public bool Initiator => _options.Initiator;

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public PeerConnectionState State
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public Task Connected => _connected.Task;

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public Task Closed => _closed.Task;

    /// <summary>Our certificate's fingerprint, as announced in our descriptions.</summary>
    public DtlsFingerprint LocalFingerprint => _certificate.Fingerprint;

    /// <summary>The peer's a=max-message-size (64 KiB when absent, 0 meaning no limit), once its description is set.</summary>
    public long? RemoteMaxMessageSize
    {
        get { lock (_gate) return _remote?.MaxMessageSize; }
    }

    /// <summary>True once closed with nothing of any layer left: ICE sockets and timer, the DTLS thread, the SCTP loops, our own loops.</summary>
    internal bool IsReleased
    {
        get
        {
            lock (_gate)
                return _closed.Task.IsCompleted && _agent.Closed.IsCompleted && (_started?.IsCompleted ?? true)
                    && (_dtls is null || (!_dtls.IsWorkerAlive && !_dtls.IsPumpRunning))
                    && (_preparedDtls is null || !_preparedDtls.IsWorkerAlive)
                    && (_sctp is null || _sctp.LoopsStopped)
                    && (_connecting?.IsCompleted ?? true) && (_acceptLoop?.IsCompleted ?? true);
        }
    }

    /// <summary>The candidate pair ICE selected, once connected.</summary>
    public IceCandidatePair? SelectedPair => _agent.SelectedPair;

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public event Action<Signal>? LocalSignal;
    /// <summary>&lt;inheritdoc/&gt;</summary>
    public event Action<PeerConnectionState>? StateChanged;
    /// <summary>&lt;inheritdoc/&gt;</summary>
    public event Action<IWebRtcDataChannel>? DataChannelOpened;
    /// <summary>&lt;inheritdoc/&gt;</summary>
    public event Action<IWebRtcDataChannel>? DataChannelClosed;

    /// <summary>Binds the ICE sockets (host candidates known) and makes DTLS ready (its thread, key pair and nonce).</summary>
    public Task PrepareAsync(CancellationToken cancellationToken = default) => EnsureStartedAsync(cancellationToken);

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public async Task<SessionDescriptionSignal> CreateOfferAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        SessionDescription offer;
        lock (_gate)
        {
            ThrowIfClosing();
            if (_local is not null || _remote is not null)
                throw new PeerConnectionException("An offer is made once, before any description is set (no renegotiation).");
            offer = DataChannelSdp.CreateOffer(LocalParameters(), OfferMid);
            _local = offer;
        }
        return Publish(new SessionDescriptionSignal(SessionDescriptionType.Offer, offer.ToString()));
    }

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public async Task<SessionDescriptionSignal> CreateAnswerAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        SessionDescription answer;
        lock (_gate)
        {
            ThrowIfClosing();
            if (_remoteType != SessionDescriptionType.Offer || _local is not null)
                throw new PeerConnectionException("An answer needs the peer's offer and no local description yet.");
            answer = DataChannelSdp.CreateAnswer(_remoteOffer!, LocalParameters());
            var section = answer.GetDataChannel();
            _local = answer;
            _mid = section.Mid ?? section.MLineIndex.ToString();
            _dtlsRole = DtlsRoleNegotiation.RoleOf(section.Setup);
        }
        var signal = Publish(new SessionDescriptionSignal(SessionDescriptionType.Answer, answer.ToString()));
        StartConnectingWhenReady();
        return signal;
    }

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public async Task SetRemoteDescriptionAsync(SessionDescriptionSignal description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(description);
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var parsed = SessionDescription.Parse(description.Sdp);
        var remote = parsed.GetDataChannel();
        var credentials = new IceCredentials(remote.IceUfrag, remote.IcePwd);
        lock (_gate)
        {
            ThrowIfClosing();
            if (_remote is not null)
                throw new PeerConnectionException("The remote description is set once (no renegotiation).");
            if (description.Type == SessionDescriptionType.Offer)
            {
                if (_local is not null)
                    throw new PeerConnectionException("Received an offer after making our own (glare is not supported).");
                _remoteOffer = parsed;
            }
            else
            {
                if (_local is null)
                    throw new PeerConnectionException("Received an answer before making an offer.");
                _dtlsRole = DtlsRoleNegotiation.OffererRole(remote.Setup);
            }
            _remote = remote;
            _remoteType = description.Type;
        }
        _agent.SetRemoteCredentials(credentials);
        foreach (var candidate in remote.Candidates.Where(c => c.IsUdp))
            _agent.AddRemoteCandidate(candidate);
        if (remote.EndOfCandidates)
            _agent.AddRemoteEndOfCandidates();
        StartConnectingWhenReady();
    }

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public async Task AddRemoteCandidateAsync(IceCandidateInit candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfClosingUnlocked();
        if (candidate.Candidate.Length == 0)
        {
            _agent.AddRemoteEndOfCandidates(); // browsers signal the end of their gathering with an empty line
            return;
        }
        var parsed = IceCandidate.Parse(candidate.Candidate);
        if (parsed.IsUdp)
            _agent.AddRemoteCandidate(parsed); // TCP candidates: we only do UDP
    }

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public Task SignalAsync(Signal signal, CancellationToken cancellationToken = default) =>
        SignalDispatch.ApplyAsync(this, signal, cancellationToken);

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public async Task<IWebRtcDataChannel> CreateDataChannelAsync(string label, DataChannelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        await _connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        DataChannelEndpoint endpoint;
        lock (_gate)
        {
            ThrowIfClosing();
            endpoint = _endpoint!;
        }
        var channel = await endpoint.CreateDataChannelAsync(label, options, cancellationToken).ConfigureAwait(false);
        return Opened(channel);
    }

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public async Task<IWebRtcDataChannel> AcceptDataChannelAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new PeerConnectionException($"The peer connection is {State}: no more channels will be accepted.");
        }
    }

    /// <summary>&lt;inheritdoc/&gt;</summary>
    public async Task CloseAsync()
    {
        DataChannelEndpoint? endpoint;
        bool alreadyClosing;
        lock (_gate)
        {
            alreadyClosing = _closeStarted;
            _closeStarted = true;
            endpoint = _endpoint;
        }
        if (alreadyClosing)
        {
            await _closed.Task.ConfigureAwait(false);
            return;
        }
        if (endpoint is not null && endpoint.Transport.State == SctpAssociationState.Established)
        {
            // A graceful SHUTDOWN lets the peer see its channels close rather than time out.
            using var timeout = new CancellationTokenSource(_options.ShutdownTimeout, _options.TimeProvider);
            try
            {
                await endpoint.ShutdownAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SctpAssociationClosedException or DtlsException)
            {
                // The peer did not answer in time or is gone: disposing below aborts what is left.
            }
        }
        await _closing.CancelAsync().ConfigureAwait(false);
        if (_connecting is not null)
            await _connecting.ConfigureAwait(false);
        if (_acceptLoop is not null)
            await _acceptLoop.ConfigureAwait(false);
        if (endpoint is not null)
            await endpoint.DisposeAsync().ConfigureAwait(false);
        if (_started is not null)
            await _started.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false); // its failure was reported to its caller
        DtlsPreparedConnection? preparedDtls;
        lock (_gate) preparedDtls = _preparedDtls;
        if (preparedDtls is not null)
            await preparedDtls.DisposeAsync().ConfigureAwait(false); // its thread, unless a handshake took it over
        await _agent.DisposeAsync().ConfigureAwait(false);
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out var unaccepted))
            await unaccepted.CloseAsync().ConfigureAwait(false);
        _connected.TrySetException(new PeerConnectionException("The peer connection was closed before it connected."));
        SetState(PeerConnectionState.Closed);
        _closed.TrySetResult();
    }

    /// <summary>Closes the connection, as <see cref="CloseAsync"/>.</summary>
    public ValueTask DisposeAsync() => new(CloseAsync());

    /// <summary>
    /// Starts ICE (sockets, candidates) and makes DTLS ready (its thread, key pair and signing nonce) on first use, so
    /// that once both descriptions are set only the connectivity checks and the handshake's flights remain.
    /// </summary>
    private Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfClosing();
            if (_started is null)
            {
                _preparedDtls = DtlsConnection.Prepare(_certificate, _options.Dtls, _options.TimeProvider);
                _started = _agent.StartAsync(_closing.Token);
            }
            return _started.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Our description's parameters, with the candidates gathered so far (JSEP sections 5.2.1 and 5.3.1: the host
    /// candidates, known once started): the peer can check us the moment it applies the description instead of a
    /// trickle round trip later. Under <see cref="_gate"/>.
    /// </summary>
    private DataChannelSdpParameters LocalParameters()
    {
        var candidates = _agent.LocalCandidates;
        _describedCandidates = [.. candidates];
        return new(_agent.LocalCredentials.Ufrag, _agent.LocalCredentials.Password, _certificate.Fingerprint)
        {
            SctpPort = _options.Sctp.LocalPort,
            MaxMessageSize = _options.Sctp.MaxMessageSize,
            Candidates = candidates,
        };
    }

    /// <summary>
    /// Raises our description, then the candidates gathered before it that it does not carry already, so the peer
    /// never gets a candidate it cannot place.
    /// </summary>
    private SessionDescriptionSignal Publish(SessionDescriptionSignal description)
    {
        HashSet<IceCandidate> described;
        lock (_gate) described = _describedCandidates;
        lock (_signalGate)
        {
            LocalSignal?.Invoke(description);
            foreach (var candidate in _unsignalledCandidates.Where(c => !described.Contains(c)))
                LocalSignal?.Invoke(CandidateSignalOf(candidate));
            _unsignalledCandidates.Clear();
            _localSignalled = true;
        }
        return description;
    }

    private void OnLocalCandidate(IceCandidate candidate)
    {
        lock (_signalGate)
        {
            if (_localSignalled)
                LocalSignal?.Invoke(CandidateSignalOf(candidate));
            else
                _unsignalledCandidates.Add(candidate);
        }
    }

    private CandidateSignal CandidateSignalOf(IceCandidate candidate)
    {
        string mid;
        lock (_gate) mid = _mid;
        return new CandidateSignal(new IceCandidateInit(candidate.ToString(), 0, mid));
    }

    private void OnIceStateChanged(IceConnectionState state)
    {
        // Raised on the agent's own loops: only record it here, never wait on the agent.
        switch (state)
        {
            case IceConnectionState.Disconnected when State == PeerConnectionState.Connected:
                SetState(PeerConnectionState.Disconnected);
                break;
            case IceConnectionState.Connected when State == PeerConnectionState.Disconnected:
                SetState(PeerConnectionState.Connected);
                break;
            case IceConnectionState.Failed when State is PeerConnectionState.Connected or PeerConnectionState.Disconnected:
                SetState(PeerConnectionState.Failed);
                _ = Task.Run(CloseAsync);
                break;
        }
    }

    private void StartConnectingWhenReady()
    {
        Task<Task> connect;
        lock (_gate)
        {
            if (_local is null || _remote is null || _connecting is not null || _closeStarted)
                return;
            var (remote, role, token) = (_remote, _dtlsRole!.Value, _closing.Token);
            connect = new Task<Task>(() => ConnectAsync(remote, role, token));
            _connecting = connect.Unwrap();
        }
        // Started only after "connecting" is announced, so no later state can be announced before it.
        SetState(PeerConnectionState.Connecting);
        connect.Start(TaskScheduler.Default);
    }

    private async Task ConnectAsync(SdpDataChannel remote, DtlsRole role, CancellationToken cancellationToken)
    {
        SctpTransport? sctp = null;
        DtlsPreparedConnection prepared;
        lock (_gate) prepared = _preparedDtls!; // made when we started, before any description
        try
        {
            // DTLS, ready since we started, begins the moment a path is valid (nomination may still run).
            var dtls = await prepared.HandshakeAsync(_agent.ConnectOnValidPairAsync(cancellationToken), role, remote.Fingerprint,
                cancellationToken).ConfigureAwait(false);
            sctp = new SctpTransport(dtls, SctpOptionsFor(remote), _options.TimeProvider);
            lock (_gate)
            {
                _dtls = dtls;
                _sctp = sctp;
            }
            await sctp.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var endpoint = new DataChannelEndpoint(sctp, role, _options.DataChannels);
            sctp = null; // the endpoint owns it now
            lock (_gate)
            {
                if (!_closeStarted)
                {
                    _endpoint = endpoint;
                    _acceptLoop = AcceptLoopAsync(endpoint);
                    endpoint = null;
                }
            }
            if (endpoint is not null)
            {
                await endpoint.DisposeAsync().ConfigureAwait(false);
                return;
            }
            SetState(PeerConnectionState.Connected);
            _connected.TrySetResult();
        }
        catch (Exception e) when (_closing.IsCancellationRequested && e is OperationCanceledException or IceException or DtlsException or SctpAssociationClosedException)
        {
            // Closed while connecting: CloseAsync reports it.
            if (sctp is not null) await sctp.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IceException or DtlsException or SctpAssociationClosedException or SctpProtocolException or OperationCanceledException)
        {
            if (sctp is not null) await sctp.DisposeAsync().ConfigureAwait(false);
            _connected.TrySetException(new PeerConnectionException($"The peer connection failed: {e.Message}", e));
            SetState(PeerConnectionState.Failed);
            _ = Task.Run(CloseAsync);
        }
    }

    private SctpAssociationOptions SctpOptionsFor(SdpDataChannel remote)
    {
        var ours = _options.Sctp;
        // RFC 8841 6: 0 means the peer takes any size; we still never queue more than our send buffer holds.
        var peerLimit = remote.MaxMessageSize <= 0 || remote.MaxMessageSize > ours.SendBufferSize
            ? ours.SendBufferSize
            : (int)remote.MaxMessageSize;
        // SctpTransport clamps the packet size to the DTLS record limit.
        return ours with { RemotePort = checked((ushort)remote.SctpPort), PeerMaxMessageSize = peerLimit };
    }

    private async Task AcceptLoopAsync(DataChannelEndpoint endpoint)
    {
        await Task.Yield();
        while (true)
        {
            DataChannel channel;
            try
            {
                channel = await endpoint.AcceptDataChannelAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SctpAssociationClosedException or OperationCanceledException)
            {
                break;
            }
            var opened = Opened(channel);
            if (!_accepted.Writer.TryWrite(opened))
                _ = opened.CloseAsync(); // nobody is accepting: refuse rather than hold it forever
        }
        // The association ended under us (the peer shut it down, or a lower layer failed): release the rest.
        bool closing;
        lock (_gate) closing = _closeStarted;
        if (!closing)
            _ = Task.Run(CloseAsync);
    }

    private WebRtcDataChannel Opened(DataChannel channel)
    {
        var wrapped = new WebRtcDataChannel(channel);
        channel.Completion.ContinueWith(_ => DataChannelClosed?.Invoke(wrapped), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        DataChannelOpened?.Invoke(wrapped);
        return wrapped;
    }

    private void SetState(PeerConnectionState state)
    {
        lock (_gate)
        {
            if (_state == state || _state == PeerConnectionState.Closed || (_state == PeerConnectionState.Failed && state != PeerConnectionState.Closed))
                return;
            _state = state;
        }
        StateChanged?.Invoke(state);
    }

    private void ThrowIfClosing()
    {
        if (_closeStarted)
            throw new PeerConnectionException("The peer connection is closed.");
    }

    private void ThrowIfClosingUnlocked()
    {
        lock (_gate) ThrowIfClosing();
    }
}
