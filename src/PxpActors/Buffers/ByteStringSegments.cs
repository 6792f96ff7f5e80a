using Akka.IO;

namespace PxpActors.Buffers;

/// <summary>
/// The arrays behind a <see cref="ByteString"/>, without copying them. ByteString keeps its buffers to
/// itself, but <see cref="ByteString.WriteTo"/> hands each one, in order, to a stream's Write: a stream
/// that only notes what it is given exposes them. They must be treated as read-only, like the ByteString.
/// </summary>
public static class ByteStringSegments
{
    // Per thread, not per call: these run on the transport's hot path, and never across an await.
    [ThreadStatic] private static Collector? _collector;
    [ThreadStatic] private static List<ArraySegment<byte>>? _scratch;

    /// <summary>Appends the segments of <paramref name="bytes"/> to <paramref name="into"/>.</summary>
    public static void AddTo(ByteString bytes, List<ArraySegment<byte>> into)
    {
        var collector = _collector ??= new Collector();
        collector.Segments = into;
        try
        {
            bytes.WriteTo(collector);
        }
        finally
        {
            collector.Segments = null;
        }
    }

    /// <summary>The bytes as one memory block: the buffer itself when there is one, else a copy.</summary>
    public static ReadOnlyMemory<byte> AsMemory(ByteString bytes)
    {
        var segments = _scratch ??= new List<ArraySegment<byte>>(1);
        segments.Clear();
        AddTo(bytes, segments);
        var memory = segments.Count == 1 ? segments[0] : bytes.ToArray();
        segments.Clear(); // keep no array alive from here
        return memory;
    }

    private sealed class Collector : Stream
    {
        public List<ArraySegment<byte>>? Segments { get; set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (count > 0) Segments!.Add(new ArraySegment<byte>(buffer, offset, count));
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
