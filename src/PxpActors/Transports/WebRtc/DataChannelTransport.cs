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
    // The channel's own byte stream (each write sent as messages split at the peer's limit); this adds the ownership.
    private readonly Stream _bytes = channel.AsStream();
    private int _disposed;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _bytes.ReadAsync(buffer, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _bytes.WriteAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _bytes.ReadAsync(buffer, offset, count, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _bytes.WriteAsync(buffer, offset, count, cancellationToken);

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
