using System.Threading.Channels;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// A DTLS 1.2 association over a datagram path (the ICE connection), offered up as a datagram path itself
/// (for SCTP). It owns the path below and disposes it when it closes.
/// </summary>
/// <remarks>
/// BouncyCastle's DTLS API blocks: the handshake and every receive wait inside its own calls, timing
/// retransmissions with the wall clock. Rather than block thread-pool threads (and starve them under many
/// connections), each connection runs BouncyCastle on one dedicated background thread: handshake first,
/// then a receive loop feeding a bounded queue that <see cref="ReceiveAsync"/> reads. The thread ends
/// deterministically: closing the transport under it wakes its blocked receive with an exception, and
/// <see cref="DisposeAsync"/> waits until the thread and the lower path's pump have both ended. The handshake
/// deadline is ours, on the injected <see cref="TimeProvider"/>, so tests can expire it without waiting.
/// <para>The path below may be handed over while it is still being established (ICE checking): the thread
/// and BouncyCastle's client or server are then set up ahead, and the first flight goes out on the thread
/// that learns the path is ready, without a thread-pool hop or a thread start on the critical path. Earlier
/// still, <see cref="Prepare"/> starts the thread and makes the handshake's key pair and signing nonce before
/// the role and the peer are known.</para>
/// <para>Known BouncyCastle limit: while a server re-sends its final flight (the peer lost it), an
/// application send racing that retransmission can go out in the handshake epoch and be lost; SCTP above
/// retransmits it.</para>
/// </remarks>
public sealed class DtlsConnection : IDatagramConnection
{
    private readonly Task<IDatagramConnection> _lower;
    private readonly DtlsHandshakeParameters _parameters;
    private readonly TimeProvider _timeProvider;
    private readonly BlockingDatagramTransport _transport;
    private readonly DtlsPeerState _state;
    private readonly Channel<byte[]> _received;
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _workerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abandon = new();
    private readonly DtlsWorkerThread _worker;
    private readonly object _gate = new();
    private ITimer? _handshakeTimer;
    private DtlsTransport? _dtls;
    private bool _closeRequested;
    private bool _timedOut;
    private Exception? _failure;
    private Task? _disposal;
    private int _maxDatagramSize;

    private DtlsConnection(Task<IDatagramConnection> lower, DtlsHandshakeParameters parameters, TimeProvider timeProvider, DtlsWorkerThread? worker)
    {
        ValidateSettings(parameters.Settings);
        _lower = lower;
        _parameters = parameters;
        _timeProvider = timeProvider;
        _state = new DtlsPeerState(parameters.LocalCertificate, parameters.RemoteFingerprint, parameters.Settings);
        _received = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(parameters.Settings.ReceiveQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite, // a datagram path may lose; SCTP above retransmits
            SingleWriter = false, // BouncyCastle's thread, and the pump for the application data it opens itself
            // The reader (SCTP's receive loop) goes on on the thread that opened the record: no hop per datagram.
            AllowSynchronousContinuations = true,
        });
        // Nobody has to observe these; without a continuation an unobserved fault would be reported globally.
        _handshake.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        _workerExited.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);

        _transport = new BlockingDatagramTransport(lower, parameters.Settings.ReceiveQueueCapacity);
        _worker = worker ?? new DtlsWorkerThread($"dtls-{parameters.Role.ToString().ToLowerInvariant()}");
        _worker.Start(Run);
    }

    /// <summary>
    /// Makes a connection ready before its role, its peer and its path are known (typically when the peer connection
    /// starts, long before the answer): its thread runs and its key pair and signing nonce are made, so that its
    /// <see cref="DtlsPreparedConnection.HandshakeAsync"/> has only the handshake's flights left to do.
    /// </summary>
    public static DtlsPreparedConnection Prepare(DtlsCertificate localCertificate, DtlsSettings? settings = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(localCertificate);
        settings ??= DtlsSettings.Default;
        ValidateSettings(settings);
        return new DtlsPreparedConnection(localCertificate, settings, timeProvider ?? TimeProvider.System, new DtlsWorkerThread("dtls"));
    }

    /// <summary>
    /// Runs the handshake over <paramref name="lower"/> and returns the established connection, or throws:
    /// <see cref="DtlsFingerprintMismatchException"/>, <see cref="DtlsHandshakeTimeoutException"/>,
    /// <see cref="DtlsException"/> for any other failure. On failure everything is released, including
    /// <paramref name="lower"/>, before the exception is thrown.
    /// </summary>
    public static Task<DtlsConnection> HandshakeAsync(
        IDatagramConnection lower,
        DtlsHandshakeParameters parameters,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) =>
        HandshakeAsync(Task.FromResult(lower), parameters, timeProvider, cancellationToken);

    /// <summary>
    /// Like <see cref="HandshakeAsync(IDatagramConnection, DtlsHandshakeParameters, TimeProvider?, CancellationToken)"/>
    /// over a path still being established, typically <c>IceAgent.ConnectAsync()</c>: everything is made ready now
    /// and the handshake starts the moment <paramref name="lower"/> completes; its timeout runs from then. When
    /// <paramref name="lower"/> fails, that exception is thrown as it is. The path is owned from the moment it
    /// arrives, also when this connection was disposed before. <see cref="Prepare"/> makes ready earlier still.
    /// </summary>
    public static Task<DtlsConnection> HandshakeAsync(
        Task<IDatagramConnection> lower,
        DtlsHandshakeParameters parameters,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) =>
        HandshakeAsync(lower, parameters, timeProvider ?? TimeProvider.System, worker: null, cancellationToken);

    /// <summary>The handshake on <paramref name="worker"/> (prepared ahead), or on a thread of its own when null.</summary>
    internal static async Task<DtlsConnection> HandshakeAsync(
        Task<IDatagramConnection> lower,
        DtlsHandshakeParameters parameters,
        TimeProvider timeProvider,
        DtlsWorkerThread? worker,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(parameters);
        var connection = new DtlsConnection(lower, parameters, timeProvider, worker);
        try
        {
            await connection._handshake.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether we are the DTLS client or server.</summary>
    public DtlsRole Role => _parameters.Role;

    /// <summary>Our certificate's fingerprint, as announced in SDP.</summary>
    public DtlsFingerprint LocalFingerprint => _parameters.LocalCertificate.Fingerprint;

    /// <summary>The peer's fingerprint, verified against the certificate it presented.</summary>
    public DtlsFingerprint RemoteFingerprint =>
        _state.VerifiedRemote ?? throw new InvalidOperationException("The handshake has not verified the peer yet.");

    /// <summary>Largest plaintext datagram one DTLS record carries over the path below.</summary>
    public int MaxDatagramSize => Volatile.Read(ref _maxDatagramSize);

    /// <summary>
    /// Completes when the connection has ended: normally after a close by either side (close_notify),
    /// faulted with a <see cref="DtlsException"/> when it failed (with the path's own error when the path below
    /// could not be established).
    /// </summary>
    public Task Completion => _workerExited.Task;

    /// <summary>The cipher suite and extended-master-secret use the handshake negotiated.</summary>
    internal DtlsNegotiatedSecurity? Negotiated => _state.Negotiated;

    /// <summary>For tests: the dedicated BouncyCastle thread is still running.</summary>
    internal bool IsWorkerAlive => _worker.IsAlive;

    /// <summary>For tests: the task reading the path below is still running.</summary>
    internal bool IsPumpRunning => !_transport.Pump.IsCompleted;

    /// <summary>For tests: application-data records opened where they arrived rather than by BouncyCastle.</summary>
    internal long RecordsOpenedOnArrival => _transport.ApplicationRecordsOpened;

    /// <summary>Encrypts and sends one datagram of application data.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var dtls = OpenTransport();
        if (datagram.Length > MaxDatagramSize)
            throw new ArgumentException($"Datagram of {datagram.Length} bytes exceeds the DTLS record limit of {MaxDatagramSize}.", nameof(datagram));
        try
        {
            dtls.Send(datagram.Span);
        }
        catch (Exception error)
        {
            throw new DatagramConnectionClosedException("The DTLS connection failed while sending.", error);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for the next decrypted datagram and copies it into <paramref name="buffer"/>; returns its length.</summary>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] datagram;
        try
        {
            datagram = await _received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Closed();
        }
        if (datagram.Length > buffer.Length)
            throw new ArgumentException($"Buffer of {buffer.Length} bytes is smaller than the {datagram.Length}-byte datagram.", nameof(buffer));
        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    /// <summary>Sends close_notify, ends the worker thread and the pump, and disposes the path below.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate) _disposal ??= DisposeCoreAsync();
        return new ValueTask(_disposal);
    }

    private async Task DisposeCoreAsync()
    {
        DtlsTransport? dtls;
        lock (_gate)
        {
            _closeRequested = true;
            dtls = _dtls;
            _handshakeTimer?.Dispose();
        }
        _abandon.Cancel();
        if (dtls is not null)
        {
            try
            {
                dtls.Close(); // close_notify to the peer, then closes _transport
            }
            catch (Exception)
            {
                // Already failed or closed by the peer; the transport is closed below either way.
            }
        }
        _transport.Close();
        await _workerExited.Task.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _worker.Join();
        _abandon.Dispose();
        await _transport.StopPumpAsync().ConfigureAwait(false);
        if (_lower.IsCompletedSuccessfully)
        {
            await _lower.Result.DisposeAsync().ConfigureAwait(false);
        }
        else if (!_lower.IsCompleted)
        {
            // Still being established: it is ours to release whenever it arrives.
            _ = _lower.ContinueWith(static t => t.Result.DisposeAsync().AsTask(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap()
                .ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    private static void ValidateSettings(DtlsSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.HandshakeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.ReceiveQueueCapacity, 0);
    }

    /// <summary>The worker thread's job; <paramref name="prepared"/> is the crypto it made ahead (null if that failed).</summary>
    private void Run(DtlsRecordKeyCapture? prepared)
    {
        var handshakeDone = false;
        var crypto = prepared;
        try
        {
            crypto ??= new DtlsRecordKeyCapture(new SecureRandom());
            var client = _parameters.Role == DtlsRole.Client ? new DtlsClientPeer(crypto, _state) : null;
            var server = client is null ? new DtlsServerPeer(crypto, _state) : null;
            AwaitLowerPath();
            var dtls = client is not null
                ? new DtlsClientProtocol().Connect(client, _transport)
                // No HelloVerifyRequest cookie: ICE's consent checks already proved the peer's address.
                : new DtlsServerProtocol { VerifyRequests = false }.Accept(server!, _transport);
            _transport.EndHandshake();
            lock (_gate)
            {
                if (_closeRequested || _timedOut)
                {
                    dtls.Close();
                    throw new DatagramConnectionClosedException("The DTLS connection was closed as its handshake completed.");
                }
                _dtls = dtls;
                _maxDatagramSize = dtls.GetSendLimit();
                _handshakeTimer?.Dispose();
            }
            handshakeDone = true;
            _handshake.TrySetResult();
            ReceiveUntilClosed(dtls, crypto.Keys);
        }
        catch (Exception error)
        {
            var failure = Explain(error, handshakeDone);
            lock (_gate) _failure = failure;
            if (!handshakeDone) _transport.EndHandshake(); // a fatal alert BouncyCastle wrote still reaches the peer
            _handshake.TrySetException(failure ?? new DatagramConnectionClosedException("The DTLS connection was closed."));
            _received.Writer.TryComplete();
            _transport.Close();
            if (failure is null) _workerExited.TrySetResult();
            else _workerExited.TrySetException(failure);
        }
        finally
        {
            crypto?.ForgetKeys(); // when the connection ended before our record path took them
        }
    }

    /// <summary>
    /// Blocks the worker until the path below is ready, then starts the handshake deadline. Task.Wait (unlike
    /// awaiting, or Task.WaitAny) is woken directly by the thread completing the task, even one made with
    /// RunContinuationsAsynchronously like ICE's: no thread-pool hop between "ICE connected" and the first flight.
    /// </summary>
    private void AwaitLowerPath()
    {
        try
        {
            _lower.Wait(_abandon.Token);
        }
        catch (Exception e) when (e is AggregateException or OperationCanceledException)
        {
            // The path failed or we were closed first; told apart below.
        }
        lock (_gate)
        {
            if (_closeRequested) throw new DatagramConnectionClosedException("The DTLS connection was closed before its path was ready.");
            if (!_lower.IsCompletedSuccessfully) throw new DatagramConnectionClosedException("The path below DTLS could not be established.");
            _handshakeTimer = _timeProvider.CreateTimer(_ => OnHandshakeTimeout(), null,
                _parameters.Settings.HandshakeTimeout, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Decrypts until the transport closes, which always ends in an exception from BouncyCastle. With
    /// <paramref name="keys"/>, application data of the handshake's epoch (1: BouncyCastle's DTLS never renegotiates)
    /// is opened as it arrives from the peer's second record on: BouncyCastle must see the first one, which tells it
    /// the peer got our final flight, or it would keep answering stray copies of the peer's flight by re-sending
    /// ours, racing our application sends (see the remarks above).
    /// </summary>
    private void ReceiveUntilClosed(DtlsTransport dtls, DtlsRecordKeys? keys)
    {
        if (keys is not null)
        {
            var first = ReceiveFirst(dtls);
            // Switched before the first datagram goes up, so whoever reads it knows the rest is opened on arrival.
            _transport.ReadApplicationData(new DtlsApplicationDataReader(keys, epoch: 1), DeliverPlaintext);
            _received.Writer.TryWrite(first);
        }
        // Small once application data is opened on arrival: BouncyCastle then only sees alerts and handshake records.
        var buffer = new byte[keys is null ? Math.Max(dtls.GetReceiveLimit(), 1 << 14) : dtls.GetReceiveLimit()];
        while (true)
            _received.Writer.TryWrite(Receive(dtls, buffer));
    }

    /// <summary>
    /// The first datagram, in a buffer for any record allocated in this frame of its own: the loop above runs once per
    /// connection and so stays unoptimized code, whose temporaries would keep a large buffer alive as long as it runs.
    /// </summary>
    private static byte[] ReceiveFirst(DtlsTransport dtls) => Receive(dtls, new byte[Math.Max(dtls.GetReceiveLimit(), 1 << 14)]);

    private static byte[] Receive(DtlsTransport dtls, byte[] buffer)
    {
        while (true)
        {
            var length = dtls.Receive(buffer, 0, buffer.Length, 0); // 0: wait with no limit
            if (length >= 0) return buffer.AsSpan(0, length).ToArray();
        }
    }

    private void DeliverPlaintext(ReadOnlySpan<byte> plaintext) => _received.Writer.TryWrite(plaintext.ToArray());

    /// <summary>Turns BouncyCastle's exception into the real cause, or null for an orderly close.</summary>
    private Exception? Explain(Exception error, bool handshakeDone)
    {
        bool closeRequested, timedOut;
        lock (_gate)
        {
            closeRequested = _closeRequested;
            timedOut = _timedOut;
        }
        var phase = handshakeDone ? "connection" : "handshake";
        if (closeRequested)
            return handshakeDone ? null : new DatagramConnectionClosedException("The DTLS handshake was abandoned: the connection was closed.");
        if (_lower.IsFaulted)
            return _lower.Exception.InnerException ?? _lower.Exception; // e.g. ICE failed: its own error, unwrapped
        if (_lower.IsCanceled)
            return new OperationCanceledException("Establishing the path below DTLS was cancelled.");
        if (timedOut)
            return new DtlsHandshakeTimeoutException(_parameters.Settings.HandshakeTimeout);
        if (_state.Mismatch is { } mismatch)
            return mismatch;
        if (_state.Refusal is { } refusal)
            return new DtlsException(refusal, error);
        if (_state.FatalAlertReceived is { } alert)
            return new DtlsException($"The DTLS peer aborted the {phase} with a fatal '{alert}' alert.", error);
        if (_state.CloseNotifyReceived)
            return handshakeDone ? null : new DtlsException("The DTLS peer closed the connection during the handshake.", error);
        if (_transport.LowerFailure is { } lowerFailure)
            return new DtlsException($"The path below DTLS closed during the {phase}.", lowerFailure);
        return new DtlsException($"The DTLS {phase} failed: {error.Message}", error);
    }

    private void OnHandshakeTimeout()
    {
        lock (_gate)
        {
            if (_dtls is not null || _closeRequested) return;
            _timedOut = true;
        }
        _transport.Close();
    }

    private DtlsTransport OpenTransport()
    {
        lock (_gate)
        {
            if (_dtls is null) throw new InvalidOperationException("The DTLS handshake has not completed.");
            if (_closeRequested || _workerExited.Task.IsCompleted) throw Closed();
            return _dtls;
        }
    }

    private DatagramConnectionClosedException Closed()
    {
        Exception? failure;
        lock (_gate) failure = _failure;
        return new DatagramConnectionClosedException(
            failure is null ? "The DTLS connection is closed." : $"The DTLS connection failed: {failure.Message}", failure);
    }
}
