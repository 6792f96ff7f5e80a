using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Streams.Multiplexer;

namespace PxpActors.Actors;

/// <summary>
/// A substream as a <see cref="Stream"/>: writes are offered to a bounded queue (awaiting when the
/// peer is slow), reads pull from the substream. Nothing blocks a thread.
/// </summary>
internal sealed class ConnectionStream : Stream
{
    private readonly ISourceQueueWithComplete<ByteString> _writes;
    private readonly ISinkQueue<ByteString> _reads;
    private readonly IKillSwitch _readSwitch;
    private ByteString _current = ByteString.Empty;
    private bool _ended;
    private int _disposed;

    public ConnectionStream(Substream substream, IMaterializer materializer)
    {
        _writes = Source.Queue<ByteString>(16, OverflowStrategy.Backpressure)
            .To(substream.Outgoing)
            .Run(materializer);
        (_readSwitch, _reads) = substream.Incoming
            .ViaMaterialized(KillSwitches.Single<ByteString>(), Keep.Right)
            .ToMaterialized(Sink.Queue<ByteString>(), Keep.Both)
            .Run(materializer);
    }

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
            var next = await _reads.PullAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!next.HasValue)
            {
                _ended = true;
                return 0;
            }
            _current = next.Value;
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
        var result = await _writes.OfferAsync(ByteString.FromBytes(buffer.ToArray())).WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        if (result is not QueueOfferResult.Enqueued)
            throw new IOException($"The PXP connection is closed ({result})");
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
            _writes.Complete();
            _readSwitch.Shutdown();
        }
        base.Dispose(disposing);
    }
}
