using System.Buffers;
using PxpActors.Diagnostics;
using PxpActors.Transports.WebSocket;

namespace PxpActors.Carriers;

/// <summary>
/// A session's frame sender onto its WebSocket (see <see cref="SharedFrameWriter"/>), shared by its
/// <see cref="StreamCarrierStage"/> and by writers that send their frames themselves: an application write goes out
/// from the writer's thread, its frames gathered into one binary message per send (up to the sender's bound of
/// 256 KiB), rather than one message per frame through the stage. Message boundaries mean nothing to PXP over WebSocket
/// (the reference's websocket-stream concatenates), so a message of several whole frames is as valid as one of one.
/// A send the peer does not take within the write timeout fails, and with it the connection.
/// </summary>
internal sealed class WebSocketFrameWriter : SharedFrameWriter
{
    private readonly WebSocketConnectionStream _stream;
    private readonly TimeSpan _writeTimeout;
    // One deadline for every send, reset after each: only the holder of the sender sends, so one at a time.
    private CancellationTokenSource? _deadline;

    internal WebSocketFrameWriter(WebSocketConnectionStream stream, TimeSpan writeTimeout, TransportTraffic traffic) : base(traffic)
    {
        _stream = stream;
        _writeTimeout = writeTimeout;
    }

    protected override async ValueTask SendFramesAsync(List<ArraySegment<byte>> frames, CancellationToken cancellationToken)
    {
        // The WebSocket copies a message into its own send buffer anyway (masking it on a client): gathering the
        // frames into one array first costs one copy more, and saves a send (a system call) per buffer.
        var length = 0;
        foreach (var frame in frames) length += frame.Count;
        var message = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var at = 0;
            foreach (var frame in frames)
            {
                frame.AsSpan().CopyTo(message.AsSpan(at));
                at += frame.Count;
            }
            await SendMessageAsync(message.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    private async ValueTask SendMessageAsync(ReadOnlyMemory<byte> message)
    {
        if (_writeTimeout == Timeout.InfiniteTimeSpan)
        {
            await _stream.WriteAsync(message).ConfigureAwait(false);
            return;
        }
        var deadline = _deadline ??= new CancellationTokenSource();
        deadline.CancelAfter(_writeTimeout);
        try
        {
            await _stream.WriteAsync(message, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            throw new TimeoutException($"the peer took no data for {_writeTimeout.TotalSeconds:0.###} s (it is not reading)");
        }
        finally
        {
            if (!deadline.TryReset())
            {
                deadline.Dispose();
                _deadline = null; // it fired as the send finished: the next send takes a fresh one
            }
        }
    }
}
