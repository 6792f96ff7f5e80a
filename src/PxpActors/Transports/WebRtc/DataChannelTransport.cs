using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Transports.WebRtc;

/// <summary>
/// A PXP session's transport over an upgraded connection's data channel (PROTOCOL.md section 5): each write is sent as
/// binary messages (split at the peer's message size limit), and received messages are read as one byte stream. It owns
/// the peer connection: disposing it, which the session's transport stage does when the session ends, closes the channel
/// and then the whole connection (sockets, DTLS, SCTP, timers).
/// </summary>
internal sealed class DataChannelTransport(IWebRtcDataChannel channel, IWebRtcPeerConnection connection) : Stream
{
    private ReadOnlyMemory<byte> _unread;
    private int _disposed;

    /// <summary>Completes once the peer connection has released everything, after the transport was disposed.</summary>
    public Task Released => connection.Closed;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_unread.IsEmpty)
        {
            var message = await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (message is null) return 0;
            _unread = message.Data;
        }
        var count = Math.Min(buffer.Length, _unread.Length);
        _unread.Span[..count].CopyTo(buffer.Span);
        _unread = _unread[count..];
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var limit = channel.MaxMessageSize;
        while (!buffer.IsEmpty)
        {
            var part = buffer[..Math.Min(limit, buffer.Length)];
            await channel.SendAsync(part, cancellationToken).ConfigureAwait(false);
            buffer = buffer[part.Length..];
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The session's stage only reads and writes asynchronously; blocking calls would hold a stream thread.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("A data channel transport is read asynchronously");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("A data channel transport is written asynchronously");

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Never blocks (the stage disposes its stream on its own thread): the close runs in the background.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0) _ = CloseAsync();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return new ValueTask(connection.Closed);
    }

    private async Task CloseAsync()
    {
        try
        {
            await channel.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection below may already be gone; closing it releases the rest either way.
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
