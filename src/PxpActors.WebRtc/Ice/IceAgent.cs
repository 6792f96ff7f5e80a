using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// A full ICE agent (RFC 8445, trickle, consent freshness RFC 7675) over real or simulated sockets. It runs
/// <see cref="IceAgentCore"/>, the state machine, under one lock: socket receive loops, the single timer on
/// the injected <see cref="TimeProvider"/> and the public methods all feed it, and what it asks for
/// (datagrams, events) is carried out here. Its product is <see cref="ConnectAsync"/>'s connection.
/// <para>Use: <see cref="StartAsync"/>, trickle <see cref="LocalCandidateGathered"/> to the peer, feed the
/// peer's <see cref="SetRemoteCredentials"/> and <see cref="AddRemoteCandidate"/>, await
/// <see cref="ConnectAsync"/>. Every failure ends in an <see cref="IceException"/> and releases sockets,
/// timer and receive loops (<see cref="Closed"/> completes).</para>
/// <para>Events are raised outside the agent's lock, in order, on whichever thread fed the input (a receive
/// loop, the timer, a caller). A handler must not block on <see cref="DisposeAsync"/>: that waits for the
/// receive loop the handler may be running on.</para>
/// </summary>
public sealed class IceAgent : IAsyncDisposable
{
    private const int MaxPumpRounds = 1000;

    private readonly object _gate = new();
    private readonly IceAgentOptions _options;
    private readonly IDatagramNetwork _network;
    private readonly TimeProvider _time;
    private readonly IceAgentCore _core;
    private readonly List<IDatagramSocket> _sockets = [];
    private readonly List<Task> _receiveLoops = [];
    private readonly HashSet<Task> _background = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<IceEvent> _pendingEvents = new();
    private readonly ITimer _timer;
    private readonly IceConnection _connection;
    private readonly TaskCompletionSource<IDatagramConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IDatagramConnection> _usable = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gatheringComplete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _connectionEnd;
    private int _dispatching;
    private int _pendingResolutions;
    private int _nameResolutions;
    private long _faultyDatagrams;
    private bool _endOfCandidatesDeferred;
    private bool _started;
    private bool _released;

    /// <summary>An agent with <paramref name="options"/> (defaults when null), binding its sockets on <paramref name="network"/> (real UDP when null).</summary>
    public IceAgent(IceAgentOptions? options = null, IDatagramNetwork? network = null)
    {
        _options = options ?? new IceAgentOptions();
        _network = network ?? UdpNetwork.Instance;
        _time = _options.TimeProvider;
        _core = new IceAgentCore(_options, new Random());
        _connection = new IceConnection(this, _options.ReceiveQueueCapacity);
        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _connected.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        _usable.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>A local candidate to send to the peer (trickle).</summary>
    public event Action<IceCandidate>? LocalCandidateGathered;

    /// <summary>Gathering finished: tell the peer end-of-candidates.</summary>
    public event Action? GatheringCompleted;

    /// <summary>The connection state changed.</summary>
    public event Action<IceConnectionState>? ConnectionStateChanged;

    /// <summary>ICE selected a (new) candidate pair to send on.</summary>
    public event Action<IceCandidatePair>? SelectedPairChanged;

    /// <summary>Our ufrag and password, to announce in SDP.</summary>
    public IceCredentials LocalCredentials => _core.LocalCredentials;
    /// <summary>Our random tie-breaker for role conflicts (RFC 8445 section 7.3.1.1).</summary>
    public ulong TieBreaker => _core.TieBreaker;

    /// <summary>Our role now (a role conflict may have switched it).</summary>
    public IceRole Role { get { lock (_gate) return _core.Role; } }
    /// <summary>Where the connection is: new, checking, connected, failed or closed.</summary>
    public IceConnectionState ConnectionState { get { lock (_gate) return _core.State; } }
    /// <summary>Where gathering of local candidates is.</summary>
    public IceGatheringState GatheringState { get { lock (_gate) return _core.GatheringState; } }
    /// <summary>The pair data goes over, once one is selected.</summary>
    public IceCandidatePair? SelectedPair { get { lock (_gate) return _core.SelectedPair; } }
    /// <summary>Why the agent failed, once it has.</summary>
    public IceException? Error { get { lock (_gate) return _core.Error; } }
    /// <summary>Our candidates gathered so far.</summary>
    public IReadOnlyList<IceCandidate> LocalCandidates { get { lock (_gate) return _core.LocalCandidates; } }
    /// <summary>The peer's candidates received so far.</summary>
    public IReadOnlyList<IceCandidate> RemoteCandidates { get { lock (_gate) return _core.RemoteCandidates; } }
    /// <summary>A snapshot of the checklist.</summary>
    public IReadOnlyList<IceCandidatePair> CandidatePairs { get { lock (_gate) return _core.Pairs.ToList(); } }

    /// <summary>Completes when gathering is complete (after the last server-reflexive answer or timeout).</summary>
    public Task GatheringCompletion => _gatheringComplete.Task;

    /// <summary>Completes once the agent has released its sockets, timer and receive loops.</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Binds a socket on every usable address (host candidates, reported through
    /// <see cref="LocalCandidateGathered"/>), resolves the STUN servers and asks them for server-reflexive
    /// candidates, and starts the connect timeout. Returns once the host candidates are known.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_released, this);
            if (_started) throw new InvalidOperationException("The ICE agent is already started.");
            _started = true;
        }
        var servers = await ResolveStunServersAsync(cancellationToken).ConfigureAwait(false);
        var addresses = _options.LocalAddresses ?? OrderForPreference(_network.GetLocalAddresses(_options.IncludeLoopback));
        var bound = new List<(int Id, IDatagramSocket Socket)>();
        Run(core =>
        {
            if (_released) return;
            core.Start(Now);
            foreach (var address in addresses)
            {
                IDatagramSocket socket;
                try
                {
                    socket = _network.Bind(new IPEndPoint(address, 0));
                }
                catch (SocketException)
                {
                    continue; // an interface that vanished or refuses binding is just not a candidate
                }
                _sockets.Add(socket);
                var id = _sockets.Count - 1;
                bound.Add((id, socket));
                core.AddHostSocket(id, socket.LocalEndPoint, Now);
                foreach (var server in servers) core.StartServerBinding(id, server, Now);
            }
            if (bound.Count == 0)
            {
                core.Abort(new IceException(IceFailureReason.Network,
                    $"ICE found no usable local address to gather on (tried {addresses.Count}; loopback {(_options.IncludeLoopback ? "included" : "excluded")})."));
                return;
            }
            core.CompleteHostGathering();
        });
        lock (_gate)
        {
            if (_released) return;
            foreach (var (id, socket) in bound) _receiveLoops.Add(ReceiveLoopAsync(id, socket));
        }
    }

    /// <summary>The peer's ufrag and password, from its description: checks can start.</summary>
    public void SetRemoteCredentials(IceCredentials remote) => Run(core => core.SetRemoteCredentials(remote, Now));

    /// <summary>
    /// Adds a trickled remote candidate. IP literals are used at once; mDNS ".local" names (Chromium's host
    /// candidates) are resolved first, within <see cref="IceAgentOptions.MdnsResolveTimeout"/> and up to
    /// <see cref="IceAgentOptions.MaxNameResolutions"/>; other names are ignored, as the peer must not make us
    /// query DNS. When a name is not used, the peer is still reached through the peer-reflexive candidate its
    /// checks reveal.
    /// </summary>
    public void AddRemoteCandidate(IceCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.EndPoint is { } endPoint)
        {
            Run(core => core.AddRemoteCandidate(candidate, endPoint, Now));
            return;
        }
        if (!candidate.IsMdnsName) return;
        lock (_gate)
        {
            if (_released || _nameResolutions == _options.MaxNameResolutions) return;
            _nameResolutions++;
            _pendingResolutions++;
            Track(ResolveAndAddAsync(candidate));
        }
    }

    /// <summary>The peer signalled end-of-candidates.</summary>
    public void AddRemoteEndOfCandidates() => Run(core =>
    {
        if (_pendingResolutions > 0) _endOfCandidatesDeferred = true;
        else core.AddRemoteEndOfCandidates(Now);
    });

    /// <summary>
    /// Completes with the connection over the selected pair once a pair is nominated, or fails with an
    /// <see cref="IceException"/> (timeout, every pair failed, closed).
    /// </summary>
    public Task<IDatagramConnection> ConnectAsync(CancellationToken cancellationToken = default) =>
        _connected.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// The connection of <see cref="ConnectAsync"/>, as soon as a first candidate pair is valid (a check of ours was
    /// answered) instead of once one is nominated: until a pair is selected it sends over the best valid pair, which
    /// RFC 8445 §12.1 allows. A handshake above can then start a round trip earlier, and when we are controlled it
    /// need not wait for the controlling peer, which may still be applying our description (libwebrtc answers checks
    /// and takes a DTLS ClientHello before it can check us itself). Fails like <see cref="ConnectAsync"/>.
    /// </summary>
    public Task<IDatagramConnection> ConnectOnValidPairAsync(CancellationToken cancellationToken = default) =>
        _usable.Task.WaitAsync(cancellationToken);

    /// <summary>Closes the agent: its sockets, timer and connection.</summary>
    public async ValueTask DisposeAsync()
    {
        Run(core => core.Close());
        await _closed.Task.ConfigureAwait(false);
    }

    internal async ValueTask SendApplicationAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        IDatagramSocket socket;
        IPEndPoint remote;
        lock (_gate)
        {
            if (!_core.TryGetRoute(out var socketId, out remote))
            {
                if (_core.IsTerminal || _released)
                    throw new DatagramConnectionClosedException("The ICE connection is closed.", _core.Error);
                return; // no pair selected yet: like any datagram sent into the void, it is lost
            }
            socket = _sockets[socketId];
        }
        await socket.SendToAsync(datagram, remote, cancellationToken).ConfigureAwait(false);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Feeds one input to the state machine under the lock, carries out its output, then raises events outside the lock.</summary>
    private void Run(Action<IceAgentCore> input)
    {
        lock (_gate)
        {
            if (!_released) input(_core);
            Pump();
        }
        // The connection's reader may resume synchronously when it is completed, so that happens outside the lock.
        if (Interlocked.Exchange(ref _connectionEnd, null) is { } end) _connection.Complete(end);
        DispatchEvents();
    }

    private void OnTimer() => Run(static _ => { });

    /// <summary>Runs due timeouts, sends what the core queued, applies its events and re-arms the timer. Under the lock.</summary>
    private void Pump()
    {
        if (_released) return;
        var now = Now;
        for (var round = 0; round < MaxPumpRounds && _core.NextTimeout is { } due && due <= now; round++) _core.HandleTimeout(now);
        while (_core.TryDequeueTransmit(out var transmit)) Transmit(transmit);
        var terminal = false;
        while (_core.TryDequeueEvent(out var iceEvent))
        {
            switch (iceEvent)
            {
                case IceFirstValidPairEvent:
                    _usable.TrySetResult(_connection);
                    continue; // nothing to raise: it is the connection's business
                case IceStateChangedEvent { State: IceConnectionState.Connected }:
                    _usable.TrySetResult(_connection);
                    _connected.TrySetResult(_connection);
                    break;
                case IceStateChangedEvent { State: IceConnectionState.Failed or IceConnectionState.Closed } failed:
                    terminal = true;
                    var error = failed.Error ?? new IceException(IceFailureReason.Closed, "The ICE agent was closed.");
                    _usable.TrySetException(error);
                    _connected.TrySetException(error);
                    _connectionEnd ??= error;
                    break;
                case IceGatheringCompleteEvent:
                    _gatheringComplete.TrySetResult();
                    break;
            }
            _pendingEvents.Enqueue(iceEvent);
        }
        if (terminal)
        {
            Release();
            return;
        }
        if (_core.NextTimeout is { } next)
        {
            var delay = next - now;
            _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void Transmit(IceTransmit transmit)
    {
        try
        {
            var sending = _sockets[transmit.SocketId].SendToAsync(transmit.Datagram, transmit.Destination);
            if (!sending.IsCompletedSuccessfully) Track(sending.AsTask());
        }
        catch (DatagramConnectionClosedException)
        {
            // The socket is closing under us; the datagram is lost like any other.
        }
    }

    /// <summary>Frees sockets, timer and loops once the agent is terminal. Under the lock; idempotent.</summary>
    private void Release()
    {
        if (_released) return;
        _released = true;
        _gatheringComplete.TrySetResult();
        _timer.Dispose();
        _stopping.Cancel();
        foreach (var socket in _sockets)
        {
            var disposing = socket.DisposeAsync();
            if (!disposing.IsCompletedSuccessfully) Track(disposing.AsTask());
        }
        _ = CompleteClosedAsync();
    }

    private async Task CompleteClosedAsync()
    {
        Task[] waits;
        lock (_gate) waits = [.. _receiveLoops, .. _background];
        try
        {
            await Task.WhenAll(waits).ConfigureAwait(false);
        }
        catch
        {
            // Failures of background work were already observed; closing proceeds regardless.
        }
        _stopping.Dispose();
        _closed.TrySetResult();
    }

    private void DispatchEvents()
    {
        // One thread at a time raises events, in the order the core produced them, and never under the lock
        // (a handler may well call into another agent).
        while (!_pendingEvents.IsEmpty && Interlocked.CompareExchange(ref _dispatching, 1, 0) == 0)
        {
            try
            {
                while (_pendingEvents.TryDequeue(out var iceEvent)) Raise(iceEvent);
            }
            finally
            {
                Volatile.Write(ref _dispatching, 0);
            }
        }
    }

    private void Raise(IceEvent iceEvent)
    {
        switch (iceEvent)
        {
            case IceLocalCandidateEvent local:
                LocalCandidateGathered?.Invoke(local.Candidate);
                break;
            case IceGatheringCompleteEvent:
                GatheringCompleted?.Invoke();
                break;
            case IceStateChangedEvent state:
                ConnectionStateChanged?.Invoke(state.State);
                break;
            case IceSelectedPairChangedEvent selected:
                SelectedPairChanged?.Invoke(selected.Pair);
                break;
        }
    }

    /// <summary>
    /// Room for the largest datagram WebRTC sends: one DTLS record at its limit (RFC 6347 4.1: 2^14 bytes of
    /// plaintext, 2,048 of expansion, a 13-byte header); peers keep datagrams near the path MTU anyway, and a larger
    /// one is skipped. A 64 KiB buffer per socket was a third of an open connection's memory.
    /// </summary>
    internal const int ReceiveBufferBytes = (1 << 14) + 2048 + 13;

    private async Task ReceiveLoopAsync(int socketId, IDatagramSocket socket)
    {
        var buffer = new byte[ReceiveBufferBytes];
        while (true)
        {
            DatagramReceiveResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DatagramConnectionClosedException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception e)
            {
                Run(core => core.Abort(new IceException(IceFailureReason.Network, $"Receiving on {socket.LocalEndPoint} failed: {e.Message}", e)));
                return;
            }
            try
            {
                var disposition = IceDatagramDisposition.Dropped;
                Run(core => disposition = core.HandleDatagram(socketId, received.RemoteEndPoint, buffer.AsSpan(0, received.Length), Now));
                if (disposition == IceDatagramDisposition.Application) _connection.Deliver(buffer.AsSpan(0, received.Length).ToArray());
            }
            catch (Exception)
            {
                // Anyone can send us a datagram: whatever one does to the code handling it, it is dropped
                // alone and the loop goes on, or a single spoofed packet would end the connection.
                Interlocked.Increment(ref _faultyDatagrams);
            }
        }
    }

    /// <summary>For tests: datagrams dropped because handling them threw (see the receive loop).</summary>
    internal long FaultyDatagrams => Interlocked.Read(ref _faultyDatagrams);

    private async Task ResolveAndAddAsync(IceCandidate candidate)
    {
        IPAddress? address = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.MdnsResolveTimeout);
            var addresses = await _options.ResolveHostName(candidate.Address, timeout.Token).ConfigureAwait(false);
            address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        }
        catch (Exception)
        {
            // Best effort, whatever the resolver threw: the peer's checks will still reveal the address as
            // peer-reflexive, and the deferred end-of-candidates below must run in any case.
        }
        Run(core =>
        {
            if (address is not null) core.AddRemoteCandidate(candidate, new IPEndPoint(address, candidate.Port), Now);
            if (--_pendingResolutions == 0 && _endOfCandidatesDeferred) core.AddRemoteEndOfCandidates(Now);
        });
    }

    private async Task<List<IPEndPoint>> ResolveStunServersAsync(CancellationToken cancellationToken)
    {
        var servers = new List<IPEndPoint>();
        foreach (var url in _options.StunServers)
        {
            var server = IceServerUrl.Parse(url);
            if (IPAddress.TryParse(server.Host, out var literal))
            {
                servers.Add(new IPEndPoint(literal, server.Port));
                continue;
            }
            try
            {
                foreach (var address in await _options.ResolveHostName(server.Host, cancellationToken).ConfigureAwait(false))
                    servers.Add(new IPEndPoint(address, server.Port));
            }
            catch (SocketException)
            {
                // A STUN server that does not resolve gives no candidate; host candidates still work.
            }
        }
        return servers;
    }

    /// <summary>Ordinary interfaces before loopback, IPv4 before IPv6: the order sets local preferences.</summary>
    private static List<IPAddress> OrderForPreference(IReadOnlyList<IPAddress> addresses) =>
        addresses.OrderBy(a => IPAddress.IsLoopback(a)).ThenBy(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToList();

    private void Track(Task task)
    {
        lock (_gate) _background.Add(task);
        task.ContinueWith(t =>
        {
            _ = t.Exception;
            lock (_gate) _background.Remove(t);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
