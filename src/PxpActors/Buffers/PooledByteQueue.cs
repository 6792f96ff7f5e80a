namespace PxpActors.Buffers;

/// <summary>
/// A FIFO of bytes in pooled arrays: small appends are copied into blocks of its own, rented from the pool; a large
/// slice of a leased chunk is kept as it is, holding the lease. Reads copy out, and an array is let go of as soon as it
/// is read empty. A stream's received bytes wait here rather than in chunks the garbage collector would have to move,
/// a byte that arrived in a leased read buffer is copied once (into the reader's buffer), and an idle queue holds no
/// memory. Not thread-safe.
/// </summary>
internal sealed class PooledByteQueue
{
    // Small enough that a block begun just before a leased slice wastes little, large enough to rent rarely.
    private const int BlockSize = 16 * 1024;

    private readonly Queue<Segment> _segments = new();
    // Our own block being filled: the last segment; null when the last one is a leased slice, or there is none.
    private Segment? _tail;
    private int _headRead;

    /// <summary>Bytes appended and not yet read.</summary>
    public long Count { get; private set; }

    /// <summary>Copies <paramref name="bytes"/> in.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_tail is null || _tail.Length == _tail.Lease.Array.Length)
            {
                _tail = new Segment(ChunkLease.Rent(BlockSize), 0, 0);
                _segments.Enqueue(_tail);
            }
            var take = Math.Min(bytes.Length, _tail.Lease.Array.Length - _tail.Length);
            bytes[..take].CopyTo(_tail.Lease.Array.AsSpan(_tail.Length));
            _tail.Length += take;
            Count += take;
            bytes = bytes[take..];
        }
    }

    /// <summary>
    /// Keeps <paramref name="slice"/>, which lies in <paramref name="lease"/>'s array, without copying it: holds the
    /// lease until the slice is read.
    /// </summary>
    public void Append(ArraySegment<byte> slice, ChunkLease lease)
    {
        if (slice.Count == 0) return;
        lease.Retain();
        _segments.Enqueue(new Segment(lease, slice.Offset, slice.Count));
        _tail = null; // later bytes go after the slice
        Count += slice.Count;
    }

    /// <summary>Moves up to <paramref name="destination"/>'s length of the oldest bytes into it; returns how many.</summary>
    public int ReadInto(Span<byte> destination)
    {
        var copied = 0;
        while (copied < destination.Length && _segments.TryPeek(out var head))
        {
            var take = Math.Min(destination.Length - copied, head.Length - _headRead);
            head.Lease.Array.AsSpan(head.Start + _headRead, take).CopyTo(destination[copied..]);
            copied += take;
            _headRead += take;
            if (_headRead < head.Length) break; // the destination is full
            if (head == _tail) break; // everything is read: cleared below
            _segments.Dequeue().Lease.Release();
            _headRead = 0;
        }
        Count -= copied;
        if (Count == 0) Clear();
        return copied;
    }

    /// <summary>Lets go of every array.</summary>
    public void Clear()
    {
        while (_segments.TryDequeue(out var segment)) segment.Lease.Release();
        _tail = null;
        _headRead = 0;
        Count = 0;
    }

    /// <summary>Bytes [Start, Start + Length) of a leased array; the length of our own block grows as it fills.</summary>
    private sealed class Segment(ChunkLease lease, int start, int length)
    {
        public ChunkLease Lease { get; } = lease;
        public int Start { get; } = start;
        public int Length { get; set; } = length;
    }
}
