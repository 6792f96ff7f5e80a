using System.Buffers;

namespace PxpActors.Streams;

/// <summary>
/// A FIFO of bytes kept in blocks rented from <see cref="ArrayPool{T}.Shared"/>: appended bytes are copied in,
/// read bytes copied out, and a block goes back to the pool as soon as it is read empty. A stream's received
/// bytes wait here instead of in the transport's chunks, so what is in flight never lives long enough to cost
/// the garbage collector, and an idle queue holds no memory. Not thread-safe.
/// </summary>
internal sealed class PooledByteQueue
{
    private const int BlockSize = 64 * 1024;

    private readonly Queue<byte[]> _blocks = new();
    private byte[]? _tail;
    private int _tailFilled;
    private int _headRead;

    /// <summary>Bytes appended and not yet read.</summary>
    public long Count { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_tail is null || _tailFilled == _tail.Length)
            {
                _tail = ArrayPool<byte>.Shared.Rent(BlockSize);
                _tailFilled = 0;
                _blocks.Enqueue(_tail);
            }
            var take = Math.Min(bytes.Length, _tail.Length - _tailFilled);
            bytes[..take].CopyTo(_tail.AsSpan(_tailFilled));
            _tailFilled += take;
            Count += take;
            bytes = bytes[take..];
        }
    }

    /// <summary>Moves up to <paramref name="destination"/>'s length of the oldest bytes into it; returns how many.</summary>
    public int ReadInto(Span<byte> destination)
    {
        var copied = 0;
        while (copied < destination.Length && _blocks.TryPeek(out var head))
        {
            var end = head == _tail ? _tailFilled : head.Length;
            var take = Math.Min(destination.Length - copied, end - _headRead);
            head.AsSpan(_headRead, take).CopyTo(destination[copied..]);
            copied += take;
            _headRead += take;
            if (_headRead < end) break; // the destination is full
            if (head == _tail) break; // everything is read: cleared below
            ArrayPool<byte>.Shared.Return(_blocks.Dequeue());
            _headRead = 0;
        }
        Count -= copied;
        if (Count == 0) Clear();
        return copied;
    }

    /// <summary>Gives every block back.</summary>
    public void Clear()
    {
        while (_blocks.TryDequeue(out var block)) ArrayPool<byte>.Shared.Return(block);
        _tail = null;
        _tailFilled = 0;
        _headRead = 0;
        Count = 0;
    }
}
