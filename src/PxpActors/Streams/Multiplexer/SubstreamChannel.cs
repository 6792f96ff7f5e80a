using Akka.Actor;
using Akka.IO;

namespace PxpActors.Streams.Multiplexer;

/// <summary>
/// One named shared stream of a PXP session used directly, without materializing a graph for it: the
/// running <see cref="MultiplexerStage"/> hands it what the peer sends and takes what we write through
/// async callbacks. Thread-safe. Both directions are bounded by the substream buffer size: the stage stops
/// handing over data (and so stops reading the transport) while that much is untaken, and
/// <see cref="WriteAsync"/> waits while that much is written but not yet framed.
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
    private Queue<ByteString>? _received;
    private long _untaken;
    private long _unsent;
    private bool _hostWaitsForRoom;
    private bool _readsFinished;
    private Exception? _readFailure;
    private Exception? _writesClosed;
    private bool _writesCompleted;
    private TaskCompletionSource? _readWaiter;
    private TaskCompletionSource? _writeWaiter;
    private IActorRef? _forwardTo;
    private bool? _registered;
    private Exception? _refusal;
    private TaskCompletionSource? _openedWaiter;

    internal SubstreamChannel(string name, ISubstreamChannelHost host, int window)
    {
        Name = name;
        _host = host;
        _window = window;
    }

    public string Name { get; }

    /// <summary>The running stage's own record of this channel; only the stage reads or writes it.</summary>
    internal object? StageState { get; set; }

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
    /// Sends <paramref name="data"/> (kept as is: do not change its array afterwards). Completes at once
    /// while less than the substream buffer is waiting to be framed, otherwise when enough has gone out.
    /// </summary>
    public async ValueTask WriteAsync(ByteString data, CancellationToken cancellationToken = default)
    {
        if (data.IsEmpty) return;
        Task? wait;
        lock (_gate)
        {
            if (_writesClosed is not null) throw _writesClosed;
            if (_writesCompleted) throw new InvalidOperationException($"Substream \"{Name}\" was already ended");
            _unsent += data.Count;
            wait = _unsent > _window
                ? (_writeWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task
                : null;
        }
        // Outside the lock: the stage takes this channel's lock when it answers, and may be answering now.
        _host.Write(this, data);
        if (wait is not null) await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        }
        _host.CompleteWrites(this);
    }

    /// <summary>We read no more: what the peer still sends on this substream is dropped.</summary>
    public void StopReading()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_readsFinished) return;
            _readsFinished = true;
            _received = null;
            (waiter, _readWaiter) = (_readWaiter, null);
        }
        waiter?.TrySetResult(); // a pending read returns the end
        _host.StopReading(this);
    }

    /// <summary>
    /// Delivers every chunk to <paramref name="target"/> as <see cref="SubstreamReceived"/>, and the end as
    /// <see cref="SubstreamFinished"/>. The target calls <see cref="Release"/> once it has handled a chunk,
    /// so at most a substream buffer of chunks waits in its mailbox.
    /// </summary>
    public void ForwardTo(IActorRef target)
    {
        List<object> backlog = [];
        lock (_gate)
        {
            _forwardTo = target;
            while (_received is { Count: > 0 }) backlog.Add(new SubstreamReceived(this, _received.Dequeue()));
            if (_readsFinished || _readFailure is not null) backlog.Add(new SubstreamFinished(this, _readFailure));
        }
        foreach (var message in backlog) target.Tell(message);
    }

    /// <summary>A forwarded chunk of <paramref name="bytes"/> has been handled: make room for more.</summary>
    public void Release(int bytes) => Taken(bytes);

    private void Taken(int bytes)
    {
        lock (_gate)
        {
            _untaken -= bytes;
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

    internal void Deliver(ByteString chunk)
    {
        IActorRef? target;
        TaskCompletionSource? waiter = null;
        lock (_gate)
        {
            if (_readsFinished) return;
            _untaken += chunk.Count;
            target = _forwardTo;
            if (target is null)
            {
                (_received ??= new Queue<ByteString>()).Enqueue(chunk);
                (waiter, _readWaiter) = (_readWaiter, null);
            }
        }
        target?.Tell(new SubstreamReceived(this, chunk));
        waiter?.TrySetResult();
    }

    /// <summary>The peer's direction is over: ended normally (null) or reset / session failure.</summary>
    internal void FinishReads(Exception? failure)
    {
        IActorRef? target;
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_readsFinished || _readFailure is not null) return;
            if (failure is null) _readsFinished = true;
            else _readFailure = failure;
            target = _forwardTo;
            (waiter, _readWaiter) = (_readWaiter, null);
        }
        target?.Tell(new SubstreamFinished(this, failure));
        waiter?.TrySetResult();
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
            (waiter, _writeWaiter) = (_writeWaiter, null);
        }
        waiter?.TrySetException(reason);
    }
}
