using Akka.IO;

namespace PxpActors.Streams;

/// <summary>
/// The arrays behind a <see cref="ByteString"/>, without copying them. ByteString keeps its buffers to
/// itself, but <see cref="ByteString.WriteTo"/> hands each one, in order, to a stream's Write: a stream
/// that only notes what it is given exposes them. They must be treated as read-only, like the ByteString.
/// </summary>
public static class ByteStringSegments
{
    /// <summary>Appends the segments of <paramref name="bytes"/> to <paramref name="into"/>.</summary>
    public static void AddTo(ByteString bytes, List<ArraySegment<byte>> into) => bytes.WriteTo(new Collector(into));

    /// <summary>The bytes as one memory block: the buffer itself when there is one, else a copy.</summary>
    public static ReadOnlyMemory<byte> AsMemory(ByteString bytes)
    {
        var segments = new List<ArraySegment<byte>>(1);
        AddTo(bytes, segments);
        return segments.Count == 1 ? segments[0] : bytes.ToArray();
    }

    private sealed class Collector(List<ArraySegment<byte>> segments) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (count > 0) segments.Add(new ArraySegment<byte>(buffer, offset, count));
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
