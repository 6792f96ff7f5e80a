namespace PxpActors.WebRtc.IO;

/// <summary>
/// A <see cref="Stream"/> that is one end of a two-way byte pipe (a data channel, a PXP substream, an in-memory pipe):
/// readable and writable, with no length or position. A subclass writes the two memory-based async members; the
/// array-based and blocking members, flushing (each write is handed over at once) and the refusals are here.
/// </summary>
public abstract class DuplexStream : Stream
{
    /// <summary>Always true.</summary>
    public sealed override bool CanRead => true;
    /// <summary>Always true.</summary>
    public sealed override bool CanWrite => true;
    /// <summary>Always false: a pipe has no position.</summary>
    public sealed override bool CanSeek => false;
    /// <summary>Not supported: a pipe has no length.</summary>
    public sealed override long Length => throw new NotSupportedException();
    /// <summary>Not supported: a pipe has no position.</summary>
    public sealed override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Reads what the other end sent, waiting for it; 0 at the end of the stream.</summary>
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Sends <paramref name="buffer"/> to the other end, waiting while it is behind.</summary>
    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Reads as <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.</summary>
    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes as <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</summary>
    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads, blocking the caller until data arrives.</summary>
    public sealed override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Writes, blocking the caller while the other end is behind.</summary>
    public sealed override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Nothing to flush: each write is handed over at once.</summary>
    public override void Flush() { }

    /// <summary>Nothing to flush: each write is handed over at once.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Not supported: a pipe has no position.</summary>
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <summary>Not supported: a pipe has no length.</summary>
    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
