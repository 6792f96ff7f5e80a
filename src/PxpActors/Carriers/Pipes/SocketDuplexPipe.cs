using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PxpActors.Carriers.Pipes;

/// <summary>
/// A connected socket as an <see cref="IDuplexPipe"/>, in the way of Kestrel's socket transport: a receive loop fills
/// <see cref="Input"/> (waiting on an idle socket with a zero-byte receive, so it holds no buffer meanwhile) and a send
/// loop drains <see cref="Output"/> with gathering sends. The pipes' thresholds are the backpressure: a reader that
/// falls behind stops the receive loop, a peer that does not read stops the writers' flushes. A send the peer does not
/// take within the write timeout fails the connection. One per session.
/// </summary>
internal sealed class SocketDuplexPipe : IDuplexPipe
{
    // A receive takes what is waiting, up to this much (the stream carrier's lent reads take as much).
    private const int MaxReceive = 256 * 1024;
    private const int MinimumSegment = 16 * 1024;
    private const long PauseAt = 1024 * 1024;
    private const long ResumeAt = 512 * 1024;

    private readonly Stream _stream;
    private readonly Socket _socket;
    private readonly TimeSpan _writeTimeout;
    private readonly Pipe _received;
    private readonly Pipe _toSend;
    private readonly List<ArraySegment<byte>> _sendSegments = [];
    // Both the owner's close and the send loop's end must come before the socket is closed: what was flushed goes out.
    private int _closeVotes;

    /// <param name="stream">The socket's stream; disposed once the pipe is closed and what was flushed is sent.</param>
    /// <param name="socket">The connected socket under <paramref name="stream"/>.</param>
    /// <param name="writeTimeout">How long one send may wait for the peer to take data.</param>
    public SocketDuplexPipe(Stream stream, Socket socket, TimeSpan writeTimeout)
    {
        _stream = stream;
        _socket = socket;
        _writeTimeout = writeTimeout;
        // The reader (the carrier stage) is resumed inline: it only posts to its stage. The receive loop, held back by a
        // full pipe, is resumed on the pool, not on the stage's thread.
        _received = new Pipe(new PipeOptions(LeasedBlockPool.Instance, readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.ThreadPool, pauseWriterThreshold: PauseAt, resumeWriterThreshold: ResumeAt,
            minimumSegmentSize: MinimumSegment, useSynchronizationContext: false));
        // The send loop runs on the flusher's thread (a send straight from the writer's flush, as the direct route does).
        _toSend = new Pipe(new PipeOptions(MemoryPool<byte>.Shared, readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: PauseAt, resumeWriterThreshold: ResumeAt,
            minimumSegmentSize: MinimumSegment, useSynchronizationContext: false));
    }

    /// <summary>What the peer sent.</summary>
    public PipeReader Input => _received.Reader;

    /// <summary>What goes to the peer: completing it half-closes the connection once all of it is sent.</summary>
    public PipeWriter Output => _toSend.Writer;

    /// <summary>Starts the receive and send loops.</summary>
    public void Start()
    {
        _ = ReceiveAsync();
        _ = SendAsync();
    }

    /// <summary>
    /// The owner is done: nothing more is read, and the socket is closed once what was flushed is sent (or the send
    /// fails or times out). The owner completes <see cref="Output"/> itself, between two writers' frames.
    /// </summary>
    public void Close()
    {
        _received.Reader.Complete();
        _toSend.Writer.CancelPendingFlush(); // a writer held back by a peer that does not read lets go
        CloseVote();
    }

    /// <summary>Closes the socket at once: nothing more is sent (the owner failed).</summary>
    public void Abort()
    {
        _stream.Dispose();
        Close();
    }

    private void CloseVote()
    {
        if (Interlocked.Increment(ref _closeVotes) == 2) _stream.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var writer = _received.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                if (_socket.Available == 0) await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                var memory = writer.GetMemory(Math.Clamp(_socket.Available, 1, MaxReceive));
                var received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (received == 0) break;
                writer.Advance(received);
                var flushed = await writer.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed under us by our own close: no error to report; else the reader hears it.
            if (Volatile.Read(ref _closeVotes) == 0) error = e;
        }
        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task SendAsync()
    {
        var reader = _toSend.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty) await SendAsync(buffer).ConfigureAwait(false);
                reader.AdvanceTo(buffer.End);
                if (!result.IsCompleted) continue;
                _socket.Shutdown(SocketShutdown.Send); // all sent: the peer reads our end
                break;
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        await reader.CompleteAsync(error).ConfigureAwait(false);
        if (error is not null) _stream.Dispose(); // a failed or timed-out send: the connection is dead
        CloseVote();
    }

    /// <summary>One gathering send of the buffer's segments; completes once the socket took them all.</summary>
    private async ValueTask SendAsync(ReadOnlySequence<byte> buffer)
    {
        Task<int> send;
        if (buffer.IsSingleSegment)
        {
            var single = _socket.SendAsync(buffer.First, SocketFlags.None);
            if (single.IsCompletedSuccessfully) return;
            send = single.AsTask();
        }
        else
        {
            _sendSegments.Clear();
            foreach (var segment in buffer)
                _sendSegments.Add(MemoryMarshal.TryGetArray(segment, out var array) ? array : new ArraySegment<byte>(segment.ToArray()));
            send = _socket.SendAsync(_sendSegments, SocketFlags.None);
            if (send.IsCompletedSuccessfully) return;
        }
        try
        {
            await send.WaitAsync(_writeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the peer took no data for {_writeTimeout.TotalSeconds:0.###} s (it is not reading)");
        }
    }
}
