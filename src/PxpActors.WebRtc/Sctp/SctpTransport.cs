using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// Runs an <see cref="SctpAssociation"/> over a datagram connection (DTLS in WebRTC, RFC 8261). A receive
/// loop feeds packets in (a backlog as one batch); the event reader resumes on its thread; a pump task, woken
/// only when there is something to send, sends what the association produces (SACKs, data a SACK let out,
/// timer expiries on the injected <see cref="TimeProvider"/>) so encryption runs beside the receives. A caller's own message goes out
/// from the caller's thread without a hop, carrying any delayed SACK along. One sender at a time keeps
/// packets in order; a thread that finds another one sending leaves the work to it. All association calls
/// are serialized by one lock; waiting callers are woken when anything changes. Events are read by one
/// consumer with <see cref="ReadEventAsync"/>; unread messages stay in the association's window
/// (backpressure to the peer).
/// </summary>
public sealed class SctpTransport : IAsyncDisposable
{
    // The largest datagram any seam hands up: a DTLS record's plaintext is at most 2^14 bytes (RFC 6347 4.1).
    private const int MaxDtlsPlaintext = 1 << 14;

    // Most received packets handled before what they triggered (SACKs, new data) is sent.
    private const int MaxReceiveBatch = 16;

    private readonly IDatagramConnection _connection;
    private readonly bool _ownsConnection;
    private readonly TimeProvider _time;
    private readonly SctpAssociation _association;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly List<byte[]> _outgoing = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private TaskCompletionSource _changed = NewSignal();
    // The event reader's own signal, completed with _changed: it resumes on the thread that delivered the event.
    private TaskCompletionSource _eventsChanged = new();
    private Task? _receiveLoop;
    private Task? _pumpLoop;
    private bool _closedEventRead;
    private int _sendRequested;
    private string? _closeReason;
    private DateTimeOffset? _armedFor;

    /// <summary>An association over <paramref name="connection"/> (a DTLS connection), run by its own loops.</summary>
    public SctpTransport(IDatagramConnection connection, SctpAssociationOptions? options = null, TimeProvider? timeProvider = null, bool ownsConnection = true)
    {
        _connection = connection;
        _ownsConnection = ownsConnection;
        _time = timeProvider ?? TimeProvider.System;
        options ??= new SctpAssociationOptions();
        // Never build packets the path below cannot carry (the association rounds down to whole 4-byte words).
        options = options with { MaxPacketSize = Math.Min(options.MaxPacketSize, connection.MaxDatagramSize) };
        _association = new SctpAssociation(options, _time);
        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Where the association is.</summary>
    public SctpAssociationState State
    {
        get { lock (_gate) return _association.State; }
    }

    /// <summary>The options it was made with.</summary>
    public SctpAssociationOptions Options => _association.Options;

    /// <summary>Bytes queued or unacknowledged on the association (all streams).</summary>
    public long BufferedAmount
    {
        get { lock (_gate) return _association.BufferedAmount; }
    }

    /// <summary>Bytes queued or in flight on stream <paramref name="streamId"/>.</summary>
    public long BufferedAmountOf(ushort streamId)
    {
        lock (_gate)
            return _association.BufferedAmountOf(streamId);
    }

    /// <summary>True while a reset of stream <paramref name="streamId"/> awaits the peer's response.</summary>
    public bool IsStreamResetPending(ushort streamId)
    {
        lock (_gate)
            return _association.IsStreamResetPending(streamId);
    }

    /// <summary>How many outbound streams the association has.</summary>
    public ushort OutboundStreams
    {
        get { lock (_gate) return _association.OutboundStreams; }
    }

    /// <summary>Starts the loops and the handshake, and waits until the association is established.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_pumpLoop is not null)
                throw new InvalidOperationException("ConnectAsync was already called.");
            _receiveLoop = Task.Run(ReceiveLoopAsync);
            _pumpLoop = Task.Run(PumpLoopAsync);
            _association.Connect();
        }
        Wake();
        await WaitUntilAsync(a => a.State is SctpAssociationState.Established or SctpAssociationState.Closed, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_association.State == SctpAssociationState.Closed)
                throw new SctpAssociationClosedException($"SCTP association failed to establish: {_closeReason ?? _association.CloseReason}.");
        }
    }

    /// <summary>Queues one message, waiting while the send buffer is full.</summary>
    public async ValueTask SendAsync(ushort streamId, uint payloadProtocolId, ReadOnlyMemory<byte> data, SctpSendOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                ThrowIfClosed();
                if (_association.TrySend(streamId, payloadProtocolId, data, options))
                    break;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        await SendPendingAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the association (checked after every change).</summary>
    public async Task WaitUntilAsync(Func<SctpAssociation, bool> condition, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_association))
                    return;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The next event; throws <see cref="SctpAssociationClosedException"/> after the Closed event was read. One reader.
    /// A reader that waits resumes on the thread that delivered the event (the receive loop, usually): a thread-pool
    /// hop less per received message. It must hand what it reads on without blocking (as
    /// <see cref="DataChannels.DataChannelEndpoint"/> does, into each channel's queue).
    /// </summary>
    public async ValueTask<SctpEvent> ReadEventAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_association.TryPollEvent(out var e))
                {
                    if (e is SctpEvent.Closed)
                        _closedEventRead = true;
                    if (_association.HasUrgentOutput)
                        Wake(); // draining opened our window: the pump sends the window update
                    return e;
                }
                if (_closedEventRead)
                    throw new SctpAssociationClosedException($"SCTP association closed: {_closeReason ?? _association.CloseReason}.");
                changed = _eventsChanged.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Resets our outgoing side of <paramref name="streamIds"/> (RFC 6525), as closing a data channel does.</summary>
    public void ResetStreams(IEnumerable<ushort> streamIds)
    {
        lock (_gate)
            _association.ResetStreams(streamIds);
        Wake();
    }

    /// <summary>Graceful close: queued data is delivered, then SHUTDOWN; completes when the association is closed.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            _association.Shutdown();
        Wake();
        await WaitUntilAsync(a => a.State == SctpAssociationState.Closed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the association at once with an ABORT carrying <paramref name="reason"/>.</summary>
    public void Abort(string reason)
    {
        lock (_gate)
            _association.Abort(reason);
        Wake();
    }

    /// <summary>Aborts a live association, stops both loops and the timer, and disposes an owned connection.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_association.State != SctpAssociationState.Closed)
                _association.Abort("transport disposed");
        }
        Wake();
        // Let the pump flush the ABORT (it ends by itself once the association is closed); bounded in case the path hangs.
        if (_pumpLoop is not null)
        {
            try
            {
                await _pumpLoop.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The path below is stuck; stop regardless.
            }
        }
        _stop.Cancel();
        if (_ownsConnection)
            await _connection.DisposeAsync().ConfigureAwait(false);
        await AwaitQuietly(_pumpLoop).ConfigureAwait(false);
        await AwaitQuietly(_receiveLoop).ConfigureAwait(false);
        await _sending.WaitAsync().ConfigureAwait(false); // a caller's send in progress ends; none starts again
        await _timer.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        TaskCompletionSource waiters, eventReader;
        lock (_gate)
            (waiters, eventReader) = (_changed, _eventsChanged);
        waiters.TrySetResult();
        eventReader.TrySetResult(); // outside the lock: the reader resumes right here
    }

    /// <summary>True once both loops have ended (for leak checks).</summary>
    public bool LoopsStopped => (_pumpLoop?.IsCompleted ?? true) && (_receiveLoop?.IsCompleted ?? true);

    private void ThrowIfClosed()
    {
        if (_association.State == SctpAssociationState.Closed)
            throw new SctpAssociationClosedException($"SCTP association closed: {_closeReason ?? _association.CloseReason}.");
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
                _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another thread woke the pump first; one wake-up is enough.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Feeds received packets to the association. Datagrams that were already waiting are taken as one
    /// batch (up to <see cref="MaxReceiveBatch"/>) before readers and the pump are woken, so a backlog is
    /// answered by one SACK and one round of new data instead of one per packet.
    /// </summary>
    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[Math.Max(MaxDtlsPlaintext, _connection.MaxDatagramSize)];
        var token = _stop.Token;
        var batched = 0;
        while (!token.IsCancellationRequested)
        {
            int length;
            try
            {
                var next = _connection.ReceiveAsync(buffer, token);
                if (batched > 0 && (!next.IsCompleted || batched >= MaxReceiveBatch))
                {
                    batched = 0;
                    Delivered();
                }
                length = await next.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is DatagramConnectionClosedException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    _closeReason ??= $"datagram connection closed: {e.Message}";
                    _association.Abort(_closeReason);
                }
                Wake();
                return;
            }
            lock (_gate)
                _association.HandlePacket(buffer.AsSpan(0, length));
            batched++;
        }
    }

    /// <summary>
    /// After a batch: waiters (event readers, blocked senders, state watchers) go on at once, and the pump sends
    /// what the batch triggered (SACKs, data the peer's SACKs let out), so encrypting runs beside the next
    /// receives rather than in their way. A batch that triggered nothing to send (a SACK the delayed-ack timer
    /// holds back, every other packet of a bulk transfer) only re-arms the timer: waking the pump for it cost a
    /// thread wake-up per packet.
    /// </summary>
    private void Delivered()
    {
        (TaskCompletionSource, TaskCompletionSource?) changed;
        bool send;
        lock (_gate)
        {
            changed = TakeSignals();
            send = _association.HasOutput;
            if (!send)
                ArmTimer(_association.NextTimeout);
        }
        Signal(changed);
        if (send)
            Wake();
    }

    /// <summary>Timer expiries and wake-ups: sends what is due until the association is closed and its last packet sent.</summary>
    private async Task PumpLoopAsync()
    {
        var token = _stop.Token;
        while (true)
        {
            if (await SendPendingAsync().ConfigureAwait(false))
                return;
            try
            {
                await _wake.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Sends what the association has to send (timers included) on this thread, unless another thread is
    /// sending: then that one picks the request up before it lets go, so nothing is left behind, packets
    /// stay in order and no thread waits for another. True when this call saw the association closed.
    /// </summary>
    private async ValueTask<bool> SendPendingAsync()
    {
        Volatile.Write(ref _sendRequested, 1);
        var closed = false;
        while (Volatile.Read(ref _sendRequested) == 1 && _sending.Wait(0))
        {
            try
            {
                while (Interlocked.Exchange(ref _sendRequested, 0) == 1)
                    closed |= await SendDueAsync().ConfigureAwait(false);
            }
            finally
            {
                _sending.Release();
            }
        }
        if (closed)
            Wake(); // the pump ends once it has seen the close
        return closed;
    }

    /// <summary>One round under the sender: drain the association's packets, re-arm the timer, wake waiters, send. True once closed.</summary>
    private async ValueTask<bool> SendDueAsync()
    {
        (TaskCompletionSource, TaskCompletionSource?) changed;
        bool closed;
        lock (_gate)
        {
            _association.HandleTimeout();
            while (_association.PollPacket() is { } packet)
                _outgoing.Add(packet);
            ArmTimer(_association.NextTimeout);
            closed = _association.State == SctpAssociationState.Closed;
            changed = TakeSignals();
        }
        // Waiters (event readers, blocked senders) go on while we encrypt and send.
        Signal(changed);
        try
        {
            foreach (var packet in _outgoing)
                await _connection.SendAsync(packet, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Closed below us, or refused a packet: either way nothing more can be sent, so the association ends.
            lock (_gate)
            {
                _closeReason ??= e is DatagramConnectionClosedException or ObjectDisposedException or OperationCanceledException
                    ? $"datagram connection closed: {e.Message}"
                    : $"sending failed: {e.Message}";
                _association.Abort(_closeReason);
                closed = true;
                changed = TakeSignals();
            }
            Signal(changed); // the close is news too
        }
        finally
        {
            _outgoing.Clear();
        }
        return closed;
    }

    /// <summary>Under the lock. The timer is only touched when the due time changed.</summary>
    private void ArmTimer(DateTimeOffset? due)
    {
        if (due == _armedFor)
            return;
        _armedFor = due;
        if (due is not { } at)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var delay = at - _time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
            _armedFor = null; // fired: the next due time must arm it again, even the same one
        Wake();
    }

    /// <summary>Under the lock: the signals a change completes (outside it, with <see cref="Signal"/>), replaced by fresh ones.</summary>
    private (TaskCompletionSource Waiters, TaskCompletionSource? EventReader) TakeSignals()
    {
        var waiters = _changed;
        _changed = NewSignal();
        if (!_association.HasPendingEvents && _association.State != SctpAssociationState.Closed)
            return (waiters, null); // nothing for the reader yet: it keeps waiting on the same signal
        var eventReader = _eventsChanged;
        _eventsChanged = new TaskCompletionSource(); // synchronous continuations: see ReadEventAsync
        return (waiters, eventReader);
    }

    private static void Signal((TaskCompletionSource Waiters, TaskCompletionSource? EventReader) signals)
    {
        signals.EventReader?.TrySetResult();
        signals.Waiters.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task AwaitQuietly(Task? task)
    {
        if (task is null)
            return;
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
