using Akka.IO;
using PxpActors.Streams.Multiplexer;

namespace PxpActors.Actors;

/// <summary>
/// A substream as a <see cref="Stream"/>, talking to the running multiplexer directly: writes wait only
/// while a substream buffer is unsent, reads take what the peer sent. Nothing blocks a thread.
/// </summary>
internal sealed class ConnectionStream(SubstreamChannel channel) : Stream
{
    private ByteString _current = ByteString.Empty;
    private bool _ended;
    private int _disposed;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (_current.IsEmpty)
        {
            if (_ended) return 0;
            var next = await channel.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                _ended = true;
                return 0;
            }
            _current = next;
        }
        var n = Math.Min(buffer.Length, _current.Count);
        var destination = buffer.Span;
        _current.Slice(0, n).CopyTo(ref destination);
        _current = _current.Slice(n);
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        if (buffer.IsEmpty) return;
        try
        {
            // The caller may reuse its buffer once this returns, and the frame may not be written yet: copy.
            var copy = GC.AllocateUninitializedArray<byte>(buffer.Length);
            buffer.Span.CopyTo(copy);
            await channel.WriteAsync(ByteString.FromBytes(copy), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MultiplexerClosedException or SubstreamResetException or InvalidOperationException)
        {
            throw new IOException($"The PXP connection is closed ({e.Message})", e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Ends our direction (the peer reads end of stream) and stops reading.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            channel.CompleteWrites();
            channel.StopReading();
        }
        base.Dispose(disposing);
    }
}
