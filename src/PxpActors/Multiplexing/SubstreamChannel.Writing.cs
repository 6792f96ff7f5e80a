using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.IO;
using PxpActors.Resources;
using PxpActors.Buffers;
using PxpActors.Carriers;

namespace PxpActors.Multiplexing;

/// <content>Writing (see <see cref="SubstreamWriter"/>): through the stage, or straight onto the carrier once the stage allows it.</content>
public sealed partial class SubstreamChannel
{
    /// <summary>
    /// Sends <paramref name="data"/> (kept as is: do not change its array afterwards). Completes at once
    /// while less than the substream buffer is waiting to be framed, otherwise when enough has gone out.
    /// </summary>
    internal async ValueTask WriteAsync(ByteString data, CancellationToken cancellationToken = default)
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
    internal ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
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
    internal bool TrySend(ByteString data)
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
    internal void CompleteWrites()
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
