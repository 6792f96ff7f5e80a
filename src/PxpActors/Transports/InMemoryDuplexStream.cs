using System.Threading.Channels;
using PxpActors.WebRtc.IO;

namespace PxpActors.Transports;

/// <summary>
/// One end of an in-process duplex byte pipe, for tests and simulations. Writes are bounded
/// (a writer waits when the reader is <c>capacity</c> chunks behind) and each write arrives as one read
/// or less, like a socket. <see cref="CreatePair"/> makes two connected ends.
/// </summary>
public sealed class InMemoryDuplexStream : DuplexStream, IHalfClosable
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

    /// <summary>Two connected ends: what one writes, the other reads; <paramref name="capacity"/> writes may wait unread per direction.</summary>
    public static (InMemoryDuplexStream A, InMemoryDuplexStream B) CreatePair(int capacity = 64)
    {
        var options = new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false };
        var aToB = Channel.CreateBounded<byte[]>(options);
        var bToA = Channel.CreateBounded<byte[]>(options);
        return (new InMemoryDuplexStream(bToA.Reader, aToB.Writer), new InMemoryDuplexStream(aToB.Reader, bToA.Writer));
    }

    /// <summary>Reads what the other end wrote, waiting for it; 0 once the other end completed its writes or was disposed.</summary>
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

    /// <summary>Hands a copy of <paramref name="buffer"/> to the other end, waiting while it is <c>capacity</c> writes behind.</summary>
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

    /// <summary>Ends this end's writes: the other end reads the end of the stream.</summary>
    public void CompleteWrites() => _outgoing.TryComplete();

    /// <summary>Ends this end's writes, as <see cref="CompleteWrites"/>: the other end reads the end of the stream.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _outgoing.TryComplete();
        base.Dispose(disposing);
    }
}
