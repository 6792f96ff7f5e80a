using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.IO;
using PxpActors.Resources;
using PxpActors.Buffers;
using PxpActors.Carriers;

namespace PxpActors.Multiplexing;

/// <summary>
/// One named shared stream of a PXP session used directly, without materializing a graph for it: the
/// running <see cref="MultiplexerStage"/> hands it what the peer sends and takes what we write through
/// async callbacks. Thread-safe. Both directions are bounded by the substream buffer size: the stage stops
/// handing over data (and so stops reading the transport) while that much is untaken, and
/// <see cref="WriteAsync(Akka.IO.ByteString, CancellationToken)"/> waits while that much is written but not yet framed.
/// </summary>
/// <remarks>
/// A graph per substream costs a stream actor and several kilobytes per session; a session's RPC and
/// application streams are used this way instead (see <see cref="Substream"/> for the graph form).
/// </remarks>
public sealed class SubstreamChannel
{
    private readonly object _gate = new();
    private readonly ISubstreamChannelHost _host;
    private readonly int _window;
    // What is received and not yet taken is charged here too: the session's and the node's budget.
    private readonly SessionBuffer _budget;
    private Queue<ByteString>? _received;
    // Set by the first read into a caller's buffer: from then on received bytes are copied into pooled blocks.
    private PooledByteQueue? _receivedBytes;
    private long _untaken;
    private long _unsent;
    private bool _hostWaitsForRoom;
    private bool _readsFinished;
    private Exception? _readFailure;
    private Exception? _writesClosed;
    private bool _writesCompleted;
    private TaskCompletionSource? _readWaiter;
    // A reader into buffers that found nothing: what arrives next is copied straight into its buffer.
    private BufferWaiter? _bufferWaiter;
    private TaskCompletionSource? _writeWaiter;
    // An actor (IActorRef) or a running stage's async callback (Action<object>) that is handed every chunk.
    private object? _forwardTo;
    private bool _forwardsLeasedChunks;
    private bool? _registered;
    private Exception? _refusal;
    private TaskCompletionSource? _openedWaiter;
    // Set by the stage once our frames may go straight onto the socket (see SendDirectly).
    private DirectRoute? _direct;

    internal SubstreamChannel(string name, ISubstreamChannelHost host, int window, SessionBuffer budget)
    {
        Name = name;
        _host = host;
        _window = window;
        _budget = budget;
    }

    /// <summary>The substream's name, as in its open frame ("pxp", "data:network", "relay:id").</summary>
    public string Name { get; }

    /// <summary>False once our direction is ended, or closed by the peer (reset) or the session.</summary>
    public bool IsWritable
    {
        get
        {
            lock (_gate) return !_writesCompleted && _writesClosed is null;
        }
    }

    /// <summary>True once our data frames go straight onto the socket instead of through the stage.</summary>
    public bool SendsDirectly
    {
        get
        {
            lock (_gate) return _direct is not null;
        }
    }

    /// <summary>The running stage's own record of this channel; only the stage reads or writes it.</summary>
    internal object? StageState { get; set; }

    /// <summary>For tests: chunks received and kept, waiting for a reader or a forward target.</summary>
    internal int KeptChunks
    {
        get
        {
            lock (_gate) return _received?.Count ?? 0;
        }
    }

    /// <summary>Completes once the stage has registered the name; faults with the reason if it refused it.</summary>
    public Task Opened
    {
        get
        {
            lock (_gate)
            {
                return _registered switch
                {
                    true => Task.CompletedTask,
                    false => Task.FromException(_refusal!),
                    null => (_openedWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task,
                };
            }
        }
    }

    // ---- the user's side ----------------------------------------------------------------------

    /// <summary>
    /// The next chunk the peer sent, or null once the peer ended the substream. Throws
    /// <see cref="SubstreamResetException"/> if the peer destroyed it, <see cref="MultiplexerClosedException"/>
    /// if the session ended first. One reader at a time.
    /// </summary>
    public async ValueTask<ByteString?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task? wait = null;
            ByteString? taken = null;
            lock (_gate)
            {
                if (_forwardTo is not null) throw new InvalidOperationException($"Substream \"{Name}\" is forwarded to an actor");
                if (_receivedBytes is not null) throw new InvalidOperationException($"Substream \"{Name}\" is read into buffers");
                if (_received is { Count: > 0 }) taken = _received.Dequeue();
                else if (_readFailure is not null) throw _readFailure;
                else if (_readsFinished) return null;
                else
                {
                    _readWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _readWaiter.Task;
                }
            }
            if (taken is not null)
            {
                Taken(taken.Count);
                return taken;
            }
            await wait!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves what the peer sent into <paramref name="buffer"/>: the byte count, 0 once the peer ended the substream;
    /// throws as <see cref="ReadAsync(CancellationToken)"/> does. Once a channel is read this way, what arrives is
    /// copied out of the transport's chunks into pooled blocks at once, so nothing received stays in chunks the
    /// garbage collector would have to move. One reader at a time, and only one way of reading.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            Task<int> wait;
            var read = 0;
            lock (_gate)
            {
                if (_forwardTo is not null) throw new InvalidOperationException($"Substream \"{Name}\" is forwarded to an actor");
                if (_bufferWaiter is not null) throw new InvalidOperationException($"Substream \"{Name}\" has a read pending already");
                ReadIntoBuffers();
                if (_receivedBytes!.Count > 0) read = _receivedBytes.ReadInto(buffer.Span);
                else if (_readFailure is not null) throw _readFailure;
                else if (_readsFinished) return 0;
                if (read > 0) wait = Task.FromResult(read);
                else
                {
                    _bufferWaiter = new BufferWaiter(buffer);
                    wait = _bufferWaiter.Task;
                }
            }
            if (read > 0)
            {
                Taken(read);
                return read;
            }
            int delivered;
            try
            {
                delivered = await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    if (!wait.IsCompleted)
                    {
                        _bufferWaiter = null;
                        throw;
                    }
                }
                delivered = wait.Result; // bytes landed in the buffer just as the read was cancelled: they are the caller's
            }
            if (delivered > 0) return delivered;
            // Woken without bytes (the end, a failure): look again.
        }
    }

    /// <summary>
    /// Waits until bytes can be read into a buffer without waiting (true) or the peer's direction is over (false),
    /// holding no buffer meanwhile: for a pump that rents its buffer only once there is something to move. Throws
    /// as <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> does, which it switches the channel to.
    /// </summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_forwardTo is not null) throw new InvalidOperationException($"Substream \"{Name}\" is forwarded to an actor");
                ReadIntoBuffers();
                if (_receivedBytes!.Count > 0) return true;
                if (_readFailure is not null) throw _readFailure;
                if (_readsFinished) return false;
                wait = (_readWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>From now on received bytes are copied into pooled blocks (under the lock).</summary>
    private void ReadIntoBuffers()
    {
        if (_receivedBytes is not null) return;
        _receivedBytes = new PooledByteQueue();
        while (_received is { Count: > 0 }) _receivedBytes.Append(ByteStringSegments.AsMemory(_received.Dequeue()).Span);
        _received = null;
    }

    /// <summary>Takes the waiting readers, to wake once outside the lock (a buffer reader with nothing in its buffer).</summary>
    private (TaskCompletionSource? Reader, TaskCompletionSource<int>? BufferReader) TakeReadWaiters()
    {
        var waiters = (_readWaiter, _bufferWaiter);
        (_readWaiter, _bufferWaiter) = (null, null);
        return waiters;
    }

    private static void Wake((TaskCompletionSource? Reader, TaskCompletionSource<int>? BufferReader) waiters, int delivered = 0)
    {
        waiters.Reader?.TrySetResult();
        waiters.BufferReader?.TrySetResult(delivered);
    }

    /// <summary>
    /// Sends <paramref name="data"/> (kept as is: do not change its array afterwards). Completes at once
    /// while less than the substream buffer is waiting to be framed, otherwise when enough has gone out.
    /// </summary>
    public async ValueTask WriteAsync(ByteString data, CancellationToken cancellationToken = default)
    {
        if (data.IsEmpty) return;
        Task? wait = null;
        DirectRoute? direct;
        lock (_gate)
        {
            ThrowIfWritesOver();
            direct = _direct;
            if (direct is not null) direct.WritesInFlight++;
            else
            {
                _unsent += data.Count;
                wait = _unsent > _window
                    ? (_writeWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task
                    : null;
            }
        }
        if (direct is not null)
        {
            var segments = new List<ArraySegment<byte>>(2);
            ByteStringSegments.AddTo(data, segments);
            await WriteDirectlyAsync(direct, segments, cancellationToken).ConfigureAwait(false);
            return;
        }
        // Outside the lock: the stage takes this channel's lock when it answers, and may be answering now.
        _host.Write(this, data);
        if (wait is not null) await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the bytes of <paramref name="data"/>, which the caller may reuse once this completes: straight from
    /// it onto the socket when the stage has allowed that, else through a copy handed to the stage.
    /// </summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        data.IsEmpty
            ? ValueTask.CompletedTask
            : WriteAsync([MemoryMarshal.TryGetArray(data, out var array) ? array : new ArraySegment<byte>(data.ToArray())], cancellationToken);

    /// <summary>
    /// Sends the bytes of <paramref name="segments"/>, in order, as one write (a nested session's frames, a relay's batch): straight
    /// from them onto the socket when the stage has allowed that, else through one copy handed to the stage. The
    /// caller may reuse the buffers, and the list, once this completes.
    /// </summary>
    internal ValueTask WriteAsync(IReadOnlyList<ArraySegment<byte>> segments, CancellationToken cancellationToken = default)
    {
        if (DirectWriteRoute() is { } direct) return WriteDirectlyAsync(direct, segments, cancellationToken);
        var copy = GC.AllocateUninitializedArray<byte>(segments.Sum(segment => segment.Count));
        var at = 0;
        foreach (var segment in segments)
        {
            segment.AsSpan().CopyTo(copy.AsSpan(at));
            at += segment.Count;
        }
        return copy.Length == 0 ? ValueTask.CompletedTask : WriteAsync(ByteString.FromBytes(copy), cancellationToken);
    }

    /// <summary>
    /// The direct route with this write counted in flight on it, under the lock that checked our direction is open; null
    /// while writes go through the stage.
    /// </summary>
    private DirectRoute? DirectWriteRoute()
    {
        lock (_gate)
        {
            ThrowIfWritesOver();
            if (_direct is { } direct) direct.WritesInFlight++;
            return _direct;
        }
    }

    private void ThrowIfWritesOver()
    {
        if (_writesClosed is not null) throw _writesClosed;
        if (_writesCompleted) throw new InvalidOperationException($"Substream \"{Name}\" was already ended");
    }

    /// <summary>
    /// Our data frames straight onto the socket, from the caller's thread and buffer; the caller has counted the write
    /// in flight, under the lock it checked the channel's state with. A failure there leaves a frame half written:
    /// the session cannot go on, and is aborted.
    /// </summary>
    private async ValueTask WriteDirectlyAsync(DirectRoute route, IReadOnlyList<ArraySegment<byte>> data,
        CancellationToken cancellationToken)
    {
        try
        {
            await route.Sender.SendDataAsync(route.Number, data, route.MaxFramePayload, route.IsClosed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Exception? closed;
            lock (_gate) closed = _writesClosed;
            if (closed is not null) throw closed;
            _host.Abort(e);
            if (e is MultiplexerClosedException) throw; // a nested session's carrier failed: it says why already
            throw new MultiplexerClosedException($"The PXP session's transport failed: {e.Message}", e);
        }
        finally
        {
            DirectWriteDone(route);
        }
    }

    private void DirectWriteDone(DirectRoute route)
    {
        bool complete;
        lock (_gate)
        {
            route.WritesInFlight--;
            complete = route.WritesInFlight == 0 && route.CompleteAfterWrites;
            if (complete) route.CompleteAfterWrites = false;
        }
        // Our end frame goes after the last data frame, never beside it.
        if (complete) _host.CompleteWrites(this);
    }

    /// <summary>
    /// Sends <paramref name="data"/> without waiting for room: for a control substream, whose frames are
    /// queued at once (and bounded by the stage). False if nothing more can be sent on it.
    /// </summary>
    public bool TrySend(ByteString data)
    {
        lock (_gate)
        {
            if (_writesClosed is not null || _writesCompleted) return false;
            _unsent += data.Count;
        }
        _host.Write(this, data);
        return true;
    }

    /// <summary>Ends our direction once everything written is sent (the peer reads end of stream).</summary>
    public void CompleteWrites()
    {
        lock (_gate)
        {
            if (_writesCompleted || _writesClosed is not null) return;
            _writesCompleted = true;
            if (_direct is { WritesInFlight: > 0 } route)
            {
                route.CompleteAfterWrites = true;
                return;
            }
        }
        _host.CompleteWrites(this);
    }

    /// <summary>Done with the substream both ways: ends our direction (an end frame) and drops what the peer still sends.</summary>
    public void Close()
    {
        CompleteWrites();
        object? target;
        lock (_gate) target = _readsFinished || _readFailure is not null ? null : _forwardTo;
        StopReading();
        // A reader handed every chunk (an actor, a stage, a relay pump) learns here that nothing more comes.
        if (target is not null) Send(target, new SubstreamFinished(this, null));
    }

    /// <summary>We read no more: what the peer still sends on this substream is dropped.</summary>
    public void StopReading()
    {
        (TaskCompletionSource?, TaskCompletionSource<int>?) waiters;
        lock (_gate)
        {
            if (_readsFinished) return;
            _readsFinished = true;
            _received = null;
            _receivedBytes?.Clear();
            _budget.Add(-_untaken);
            _untaken = 0; // a forwarded chunk released from now on takes nothing off (see Taken)
            waiters = TakeReadWaiters();
        }
        Wake(waiters); // a pending read returns the end
        _host.StopReading(this);
    }

    /// <summary>
    /// Delivers every chunk to <paramref name="target"/> as <see cref="SubstreamReceived"/>, and the end as
    /// <see cref="SubstreamFinished"/>. The target calls <see cref="Release"/> once it has handled a chunk,
    /// so at most a substream buffer of chunks waits in its mailbox.
    /// </summary>
    public void ForwardTo(IActorRef target) => Forward(target);

    /// <summary>
    /// As <see cref="ForwardTo(IActorRef)"/>, to a running stage's async callback. With <paramref name="leasedChunks"/>
    /// each chunk comes with a <see cref="SubstreamReceived.Lease"/> on the rented array it is in, which the target
    /// releases once done with it: a large slice of a leased transport chunk is handed on as it is, anything else in a
    /// pooled copy.
    /// </summary>
    internal void ForwardTo(Action<object> callback, bool leasedChunks = false)
    {
        lock (_gate) _forwardsLeasedChunks = leasedChunks;
        Forward(callback);
    }

    private void Forward(object target)
    {
        List<object> backlog = [];
        lock (_gate)
        {
            _forwardTo = target;
            while (_received is { Count: > 0 })
            {
                var chunk = _received.Dequeue();
                // Kept before there was a target: a target that releases leases must get leased chunks.
                backlog.Add(_forwardsLeasedChunks ? LeasedCopy(ByteStringSegments.AsMemory(chunk).Span) : new SubstreamReceived(this, chunk));
            }
            if (_readsFinished || _readFailure is not null) backlog.Add(new SubstreamFinished(this, _readFailure));
        }
        foreach (var message in backlog) Send(target, message);
    }

    /// <summary>
    /// A forwarded payload: to a target of leased chunks, a slice held through the carrier's lease when that is worth it,
    /// else a leased copy; to others, as the stage keeps data.
    /// </summary>
    private SubstreamReceived Forwarded(ReadOnlyMemory<byte> payload, ReceivedChunks? chunks)
    {
        if (!_forwardsLeasedChunks) return new SubstreamReceived(this, chunks!.Keep(payload));
        var lease = chunks?.Lease;
        if (!ChunkLease.TryShare(lease, payload, out var slice)) return LeasedCopy(payload.Span);
        lease.Retain();
        return new SubstreamReceived(this, ByteString.FromBytes(slice.Array!, slice.Offset, slice.Count)) { Lease = lease };
    }

    private SubstreamReceived LeasedCopy(ReadOnlySpan<byte> bytes) =>
        new(this, ChunkLease.CopyOf(bytes, out var lease)) { Lease = lease };

    private static void Send(object target, object message)
    {
        if (target is IActorRef actor) actor.Tell(message);
        else ((Action<object>)target)(message);
    }

    /// <summary>A forwarded chunk of <paramref name="bytes"/> has been handled: make room for more.</summary>
    public void Release(int bytes) => Taken(bytes);

    private void Taken(int bytes)
    {
        lock (_gate)
        {
            bytes = (int)Math.Min(bytes, _untaken);
            _untaken -= bytes;
            _budget.Add(-bytes);
            // Wake the stage only once half the buffer is free, not once per chunk taken.
            if (!_hostWaitsForRoom || _untaken > _window / 2) return;
            _hostWaitsForRoom = false;
        }
        _host.RoomFreed(this);
    }

    // ---- the stage's side (called inside the running stage only) ------------------------------

    /// <summary>
    /// True once more than a substream buffer is untaken: the stage then stops reading the transport, and
    /// the channel calls <see cref="ISubstreamChannelHost.RoomFreed"/> when half of it has been taken.
    /// </summary>
    internal bool IsOverBound()
    {
        lock (_gate)
        {
            if (_untaken <= _window || _readsFinished) return false;
            _hostWaitsForRoom = true;
            return true;
        }
    }

    /// <summary>Takes a chunk the stage kept (its own array).</summary>
    internal void Deliver(ByteString chunk) => Deliver(ByteStringSegments.AsMemory(chunk), chunk, null);

    /// <summary>
    /// Takes <paramref name="payload"/>, a slice of the carrier's current chunk, kept as <paramref name="chunks"/> says:
    /// copied into pooled blocks for a reader into buffers, forwarded as <see cref="Forwarded"/> says, else kept.
    /// </summary>
    internal void Deliver(ReadOnlyMemory<byte> payload, ReceivedChunks chunks) => Deliver(payload, null, chunks);

    private void Deliver(ReadOnlyMemory<byte> payload, ByteString? chunk, ReceivedChunks? chunks)
    {
        object? target;
        (TaskCompletionSource?, TaskCompletionSource<int>?) waiters = default;
        var intoWaitingBuffer = 0;
        lock (_gate)
        {
            if (_readsFinished) return;
            target = _forwardTo;
            if (target is null)
            {
                if (_bufferWaiter is not null)
                {
                    // One copy instead of two: straight into the waiting reader's buffer, the rest queued.
                    intoWaitingBuffer = Math.Min(payload.Length, _bufferWaiter.Buffer.Length);
                    payload.Span[..intoWaitingBuffer].CopyTo(_bufferWaiter.Buffer.Span);
                    payload = payload[intoWaitingBuffer..];
                }
                if (_receivedBytes is not null) Queue(payload, chunks?.Lease);
                else (_received ??= new Queue<ByteString>()).Enqueue(chunk ?? chunks!.Keep(payload));
                waiters = TakeReadWaiters();
            }
            _untaken += payload.Length;
            _budget.Add(payload.Length);
        }
        if (target is not null)
        {
            Send(target, chunk is not null && !_forwardsLeasedChunks
                ? new SubstreamReceived(this, chunk)
                : Forwarded(payload, chunks));
        }
        Wake(waiters, intoWaitingBuffer);
    }

    /// <summary>
    /// Keeps received bytes for a reader into buffers (under the lock): a large slice of a leased chunk as it is, holding
    /// the lease, so that it is copied only once, into the reader's buffer; anything else copied into pooled blocks.
    /// </summary>
    private void Queue(ReadOnlyMemory<byte> payload, ChunkLease? lease)
    {
        if (ChunkLease.TryShare(lease, payload, out var slice)) _receivedBytes!.Append(slice, lease);
        else _receivedBytes!.Append(payload.Span);
    }

    /// <summary>The peer's direction is over: ended normally (null) or reset / session failure.</summary>
    internal void FinishReads(Exception? failure)
    {
        object? target;
        (TaskCompletionSource?, TaskCompletionSource<int>?) waiters;
        lock (_gate)
        {
            if (_readsFinished || _readFailure is not null) return;
            if (failure is null) _readsFinished = true;
            else _readFailure = failure;
            target = _forwardTo;
            waiters = TakeReadWaiters();
        }
        if (target is not null) Send(target, new SubstreamFinished(this, failure));
        Wake(waiters);
    }

    /// <summary><paramref name="bytes"/> of what was written are framed: writers waiting for room may go on.</summary>
    internal void Sent(int bytes)
    {
        TaskCompletionSource? waiter = null;
        lock (_gate)
        {
            _unsent -= bytes;
            if (_unsent <= _window) (waiter, _writeWaiter) = (_writeWaiter, null);
        }
        waiter?.TrySetResult();
    }

    /// <summary>
    /// The stage's word that nothing of ours is queued or in flight and our channel <paramref name="number"/> is
    /// announced: from now on our data frames go straight through <paramref name="sender"/>. Ignored while a write
    /// handed to the stage is still on its way there (it must not be overtaken).
    /// </summary>
    internal void SendDirectly(SharedFrameWriter sender, uint number, int maxFramePayload)
    {
        lock (_gate)
        {
            if (_unsent > 0 || _writesCompleted || _writesClosed is not null) return;
            _direct = new DirectRoute(sender, number, maxFramePayload);
        }
    }

    internal void MarkOpened()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _registered = true;
            (waiter, _openedWaiter) = (_openedWaiter, null);
        }
        waiter?.TrySetResult();
    }

    /// <summary>The stage refused this channel: reads and writes fail with <paramref name="reason"/>.</summary>
    internal void Fail(Exception reason)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _registered = false;
            _refusal = reason;
            (waiter, _openedWaiter) = (_openedWaiter, null);
        }
        waiter?.TrySetException(reason);
        FinishReads(reason);
        CloseWrites(reason);
    }

    /// <summary>Nothing more can be sent (peer reset it, or the session is closing): writers fail with <paramref name="reason"/>.</summary>
    internal void CloseWrites(Exception reason)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _writesClosed ??= reason;
            _unsent = 0;
            // A direct write under way sends no further frame: the channel's number may soon be someone else's.
            if (_direct is not null) _direct.Closed = true;
            (waiter, _writeWaiter) = (_writeWaiter, null);
        }
        waiter?.TrySetException(reason);
    }

    /// <summary>A read into a caller's buffer that found nothing: the next bytes are copied straight into <see cref="Buffer"/>.</summary>
    private sealed class BufferWaiter(Memory<byte> buffer) : TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Memory<byte> Buffer { get; } = buffer;
    }

    /// <summary>Where our data frames go once the stage lets them bypass it (a channel that never does pays nothing for it).</summary>
    private sealed class DirectRoute
    {
        public DirectRoute(SharedFrameWriter sender, uint number, int maxFramePayload)
        {
            Sender = sender;
            Number = number;
            MaxFramePayload = maxFramePayload;
            IsClosed = () => Closed;
        }

        public SharedFrameWriter Sender { get; }
        public Func<bool> IsClosed { get; }
        public volatile bool Closed;
        public uint Number { get; }
        public int MaxFramePayload { get; }
        public int WritesInFlight { get; set; }
        public bool CompleteAfterWrites { get; set; }
    }
}
