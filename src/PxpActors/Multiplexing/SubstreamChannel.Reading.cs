using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.IO;
using PxpActors.Resources;
using PxpActors.Buffers;
using PxpActors.Carriers;

namespace PxpActors.Multiplexing;

/// <content>Reading: what the peer sent, taken by the user or handed over by the stage.</content>
public sealed partial class SubstreamChannel
{
    // ---- the reader's side (see SubstreamChunkReader, SubstreamByteReader) -------------------------

    /// <summary>The next chunk kept for a <see cref="SubstreamChunkReader"/>, or null once the peer ended the substream.</summary>
    internal async ValueTask<ByteString?> ReadChunkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task? wait = null;
            ByteString? taken = null;
            lock (_gate)
            {
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

    /// <summary>Moves what a <see cref="SubstreamByteReader"/> was kept into <paramref name="buffer"/>: the byte count, 0 at the end.</summary>
    internal async ValueTask<int> ReadIntoAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            Task<int> wait;
            var read = 0;
            lock (_gate)
            {
                if (_bufferWaiter is not null) throw new InvalidOperationException($"Substream \"{Name}\" has a read pending already");
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

    /// <summary>Waits until a <see cref="SubstreamByteReader"/> has bytes to read (true) or the peer's direction is over (false).</summary>
    internal async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
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

    /// <summary><paramref name="bytes"/> of what was kept or forwarded are taken: room for more.</summary>
    internal void Taken(int bytes)
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
                ? new SubstreamReceived(_forwarding!, chunk)
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
        if (target is not null) Send(target, new SubstreamFinished(_forwarding!, failure));
        Wake(waiters);
    }

    /// <summary>A read into a caller's buffer that found nothing: the next bytes are copied straight into <see cref="Buffer"/>.</summary>
    private sealed class BufferWaiter(Memory<byte> buffer) : TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Memory<byte> Buffer { get; } = buffer;
    }
}
