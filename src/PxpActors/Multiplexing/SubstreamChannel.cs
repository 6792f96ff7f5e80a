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
/// async callbacks. Thread-safe. It is used through its roles: its <see cref="Writer"/>, and one way of reading,
/// claimed once: chunks (<see cref="ReadChunks"/>), bytes into buffers (<see cref="ReadBytes"/>), or every chunk
/// forwarded to an actor or a stage (<see cref="ForwardTo(IActorRef)"/>). Both directions are bounded by the substream
/// buffer size: the stage stops handing over data (and so stops reading the transport) while that much is untaken, and
/// a write waits while that much is written but not yet framed.
/// </summary>
/// <remarks>
/// A graph per substream costs a stream actor and several kilobytes per session; a session's RPC and
/// application streams are used this way instead (see <see cref="Substream"/> for the graph form). The roles'
/// code: reading (SubstreamChannel.Reading.cs), forwarding to an actor or a stage (SubstreamChannel.Forwarding.cs),
/// writing (SubstreamChannel.Writing.cs); this file holds the state they share, the claims, and what ends the channel.
/// </remarks>
public sealed partial class SubstreamChannel
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
    // 1 once a way of reading is claimed: there is one reader of what the peer sends.
    private int _readerClaimed;

    internal SubstreamChannel(string name, ISubstreamChannelHost host, int window, SessionBuffer budget)
    {
        Name = name;
        _host = host;
        _window = window;
        _budget = budget;
        Writer = new SubstreamWriter(this);
    }

    /// <summary>The substream's name, as in its open frame ("pxp", "data:network", "relay:id").</summary>
    public string Name { get; }

    /// <summary>Our direction: any number of writers may share it.</summary>
    public SubstreamWriter Writer { get; }

    /// <summary>Claims the reading of this substream chunk by chunk. A substream has one reader: throws if it was claimed already.</summary>
    public SubstreamChunkReader ReadChunks()
    {
        ClaimReader();
        return new SubstreamChunkReader(this);
    }

    /// <summary>
    /// Claims the reading of this substream into the reader's buffers: from now on what arrives is copied out of the
    /// carrier's chunks into pooled blocks. A substream has one reader: throws if it was claimed already.
    /// </summary>
    public SubstreamByteReader ReadBytes()
    {
        ClaimReader();
        lock (_gate) ReadIntoBuffers();
        return new SubstreamByteReader(this);
    }

    private void ClaimReader()
    {
        if (Interlocked.Exchange(ref _readerClaimed, 1) == 1)
            throw new InvalidOperationException($"Substream \"{Name}\" has a reader already");
    }

    /// <summary>False once our direction is ended, or closed by the peer (reset) or the session.</summary>
    internal bool IsWritable
    {
        get
        {
            lock (_gate) return !_writesCompleted && _writesClosed is null;
        }
    }

    /// <summary>True once our data frames go straight onto the socket instead of through the stage.</summary>
    internal bool SendsDirectly
    {
        get
        {
            lock (_gate) return _direct is not null;
        }
    }

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

    /// <summary>Done with the substream both ways: ends our direction (an end frame) and drops what the peer still sends.</summary>
    public void Close()
    {
        CompleteWrites();
        object? target;
        lock (_gate) target = _readsFinished || _readFailure is not null ? null : _forwardTo;
        StopReading();
        // A reader handed every chunk (an actor, a stage, a relay pump) learns here that nothing more comes.
        if (target is not null) Send(target, new SubstreamFinished(_forwarding!, null));
    }

    /// <summary>We read no more: what the peer still sends on this substream is dropped.</summary>
    internal void StopReading()
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
}
