using System.Net;
using System.Net.WebSockets;

namespace PxpActors.Transports.WebSocket;

/// <summary>
/// A PXP byte stream over one WebSocket: every write goes as one binary message, and reads hand on the bytes of
/// binary messages as they arrive (message boundaries mean nothing to PXP, as with websocket-stream). A text message or
/// one larger than the limit is bad input: the read fails, and the session over it ends (that connection only).
/// </summary>
internal sealed class WebSocketConnectionStream : Stream, IHalfClosable
{
    private readonly System.Net.WebSockets.WebSocket _socket;
    private readonly long _maxMessageSize;
    private readonly Action? _onDisposed;
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _messageBytes;
    private bool _messageUnderway;
    private bool _ended;

    /// <param name="socket">The WebSocket, open.</param>
    /// <param name="maxMessageSize">Largest message accepted from the peer.</param>
    /// <param name="remoteEndPoint">The peer's address, when known.</param>
    /// <param name="onDisposed">Called once when the stream is disposed (gives back the connection's slot).</param>
    public WebSocketConnectionStream(System.Net.WebSockets.WebSocket socket, long maxMessageSize, IPEndPoint? remoteEndPoint,
        Action? onDisposed = null)
    {
        _socket = socket;
        _maxMessageSize = maxMessageSize;
        RemoteEndPoint = remoteEndPoint;
        _onDisposed = onDisposed;
    }

    /// <summary>The peer's address, for the per-address limit and to name the peer.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// True when more of a message is due: the last read ended inside one, or was a zero-byte read that returned (the
    /// next has arrived). The transport stage then reads into a full buffer at once rather than waiting with a
    /// zero-byte read first (see the carrier stage, Carriers/StreamCarrierStage).
    /// </summary>
    internal bool MessageUnderway => _messageUnderway;

    /// <summary>Completes when the stream is disposed: a server's request lives as long as this.</summary>
    public Task Disposed => _disposed.Task;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_ended) return 0; // the close came: the socket takes no more reads
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException e)
            {
                throw new IOException($"WebSocket read failed: {e.Message}", e);
            }
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    _ended = true;
                    _messageUnderway = false;
                    if (_socket.State == WebSocketState.CloseReceived) await CloseOutputQuietlyAsync().ConfigureAwait(false);
                    return 0;
                case WebSocketMessageType.Text:
                    throw new IOException("The peer sent a text WebSocket message: PXP over WebSocket is binary messages only");
            }
            _messageBytes += result.Count;
            if (_messageBytes > _maxMessageSize)
                throw new IOException($"The peer sent a WebSocket message larger than {_maxMessageSize} bytes (pxp.websocket.max-message-size)");
            if (result.EndOfMessage) _messageBytes = 0;
            _messageUnderway = !result.EndOfMessage || buffer.Length == 0;
            if (result.Count > 0 || buffer.Length == 0) return result.Count; // an empty message is not the end of the stream
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _socket.SendAsync(buffer, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new IOException($"WebSocket write failed: {e.Message}", e);
        }
        catch (Exception e) when (e is ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A writer sending on its own (see WebSocketFrameWriter) when the session closed the connection under it.
            throw new IOException("WebSocket write failed: the connection is closed", e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
        // Every write is a whole message, sent when it completes.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Our side is done: a close frame (the peer's websocket-stream then ends too, as it does on close).</summary>
    public void CompleteWrites() => _ = CloseOutputQuietlyAsync();

    private async Task CloseOutputQuietlyAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The connection is gone already: nothing left to close.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _disposed.TrySetResult())
        {
            // Closed both ways already after an orderly close; otherwise the connection is cut (an error, or the node closing).
            try
            {
                if (_socket.State != WebSocketState.Closed) _socket.Abort();
                _socket.Dispose();
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
            {
                // Cut already by the peer or a failed read: disposing must still give the slot back.
            }
            _onDisposed?.Invoke();
        }
        base.Dispose(disposing);
    }

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
