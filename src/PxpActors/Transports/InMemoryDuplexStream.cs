using System.Threading.Channels;

namespace PxpActors.Transports;

/// <summary>
/// One end of an in-process duplex byte pipe, for tests and simulations. Writes are bounded
/// (a writer waits when the reader is <c>capacity</c> chunks behind) and each write arrives as one read
/// or less, like a socket. <see cref="CreatePair"/> makes two connected ends.
/// </summary>
public sealed class InMemoryDuplexStream : Stream, IHalfClosable
{
    private readonly ChannelReader<byte[]> _incoming;
    private readonly ChannelWriter<byte[]> _outgoing;
    private byte[] _current = [];
    private int _offset;

    private InMemoryDuplexStream(ChannelReader<byte[]> incoming, ChannelWriter<byte[]> outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
    }

    public static (InMemoryDuplexStream A, InMemoryDuplexStream B) CreatePair(int capacity = 64)
    {
        var options = new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false };
        var aToB = Channel.CreateBounded<byte[]>(options);
        var bToA = Channel.CreateBounded<byte[]>(options);
        return (new InMemoryDuplexStream(bToA.Reader, aToB.Writer), new InMemoryDuplexStream(aToB.Reader, bToA.Writer));
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _current.Length)
        {
            if (!await _incoming.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return 0;
            if (_incoming.TryRead(out var next))
            {
                _current = next;
                _offset = 0;
            }
        }
        if (buffer.IsEmpty) return 0;
        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return;
        try
        {
            await _outgoing.WriteAsync(buffer.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new IOException("The in-memory connection is closed", e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void CompleteWrites() => _outgoing.TryComplete();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _outgoing.TryComplete();
        base.Dispose(disposing);
    }
}
