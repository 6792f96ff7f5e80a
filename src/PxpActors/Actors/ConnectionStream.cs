using Akka.IO;
using PxpActors.Multiplexing;
using PxpActors.WebRtc.IO;

namespace PxpActors.Actors;

/// <summary>
/// A substream as a <see cref="Stream"/>, talking to the running multiplexer directly: writes wait only
/// while a substream buffer is unsent, reads take what the peer sent. Nothing blocks a thread.
/// </summary>
internal sealed class ConnectionStream(SubstreamByteReader reader, SubstreamWriter writer) : DuplexStream
{
    private int _disposed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MultiplexerClosedException or SubstreamResetException)
        {
            throw new IOException($"The PXP connection is closed ({e.Message})", e);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        if (buffer.IsEmpty) return;
        try
        {
            await writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MultiplexerClosedException or SubstreamResetException or InvalidOperationException)
        {
            throw new IOException($"The PXP connection is closed ({e.Message})", e);
        }
    }

    /// <summary>Ends our direction (the peer reads end of stream) and stops reading.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            writer.CompleteWrites();
            reader.StopReading();
        }
        base.Dispose(disposing);
    }
}
