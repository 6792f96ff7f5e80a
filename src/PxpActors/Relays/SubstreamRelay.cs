using System.Runtime.InteropServices;
using System.Threading.Channels;
using PxpActors.Buffers;
using PxpActors.Multiplexing;

namespace PxpActors.Relays;

/// <summary>
/// Two substreams of different sessions relayed to each other without a graph. Per direction, the source's
/// multiplexer hands each chunk over leased (a slice of the transport's read buffer, or a pooled copy of a small one),
/// and a loop writes what has arrived, up to a batch at a time, to the other substream in one write (straight onto its
/// socket, in as few sends as its frames allow, when that substream sends directly) and releases it: a large chunk is
/// never copied, a busy relay costs few system calls, and no buffer is held while the relay is idle. The source's own bound is the backpressure:
/// a chunk counts against it until it was written. Ending one direction ends it on the other side; a failure
/// ends both directions. What each write carried is counted in <c>pxp.relay.bytes</c> (one count per batch). Held to a
/// rate (<see cref="RelayPacing"/>), each chunk goes out on its own, in pieces of at most a tenth of a second's worth, each
/// once its tokens are there: what fits in the tokens there (a relayed session's handshake and signaling) goes at once.
/// </summary>
public static class SubstreamRelay
{
    // What one write takes at most: about what one read of a busy socket brings.
    private const int MaxBatchBytes = 256 * 1024;

    /// <summary>Relays between the asker's half <paramref name="a"/> and the candidate's <paramref name="b"/>; completes when both directions are over.</summary>
    public static Task RunAsync(SubstreamChannel a, SubstreamChannel b) => RunAsync(a, b, pacing: null);

    /// <summary>As <see cref="RunAsync(SubstreamChannel, SubstreamChannel)"/>, each direction held to <paramref name="pacing"/>'s rate (null: not held).</summary>
    internal static Task RunAsync(SubstreamChannel a, SubstreamChannel b, RelayPacing? pacing)
    {
        var fromA = HandOver(a, out var readingA);
        var fromB = HandOver(b, out var readingB);
        // A failure in one direction ends the other too, even while it waits for its next chunk.
        void StopBoth()
        {
            fromA.Writer.TryComplete();
            fromB.Writer.TryComplete();
        }
        return Task.WhenAll(
            PumpAsync(readingA, fromA.Reader, b.Writer, readingB, a.Writer, toCandidate: true, pacing, StopBoth),
            PumpAsync(readingB, fromB.Reader, a.Writer, readingA, b.Writer, toCandidate: false, pacing, StopBoth));
    }

    /// <summary>What <paramref name="source"/> receives, as it arrives. Unbounded only in form: the source's bound applies.</summary>
    private static Channel<object> HandOver(SubstreamChannel source, out SubstreamForwarding reading)
    {
        var handed = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        reading = source.ForwardTo(message => handed.Writer.TryWrite(message), leasedChunks: true);
        return handed;
    }

    /// <summary>
    /// One direction: what <paramref name="from"/> hands over, written to <paramref name="to"/>. However it ends, both
    /// substreams stop being read and end our writes (<paramref name="toReading"/> and <paramref name="fromWriter"/> are
    /// the other direction's halves).
    /// </summary>
    private static async Task PumpAsync(SubstreamForwarding from, ChannelReader<object> handed, SubstreamWriter to,
        SubstreamForwarding toReading, SubstreamWriter fromWriter, bool toCandidate, RelayPacing? pacing, Action stopBoth)
    {
        var tokens = pacing?.NewTokens();
        // Paced, a batch is about a piece: what waits for tokens waits in the source, not held here.
        var maxBatchBytes = tokens?.Piece ?? MaxBatchBytes;
        var batch = new List<SubstreamReceived>();
        var segments = new List<ArraySegment<byte>>();
        try
        {
            while (await handed.WaitToReadAsync().ConfigureAwait(false))
            {
                SubstreamFinished? finished = null;
                var bytes = 0;
                while (bytes < maxBatchBytes && handed.TryRead(out var message))
                {
                    if (message is SubstreamFinished end)
                    {
                        finished = end;
                        break;
                    }
                    var received = (SubstreamReceived)message;
                    batch.Add(received);
                    MemoryMarshal.TryGetArray(ByteStringSegments.AsMemory(received.Data), out var segment); // always an array's
                    segments.Add(segment);
                    bytes += segment.Count;
                }
                if (batch.Count > 0)
                {
                    try
                    {
                        if (tokens is null) await to.WriteAsync(segments).ConfigureAwait(false);
                        else await WritePacedAsync(to, segments, tokens, pacing!).ConfigureAwait(false);
                    }
                    finally
                    {
                        foreach (var received in batch) received.ReleaseLease();
                        batch.Clear();
                        segments.Clear();
                    }
                    from.Release(bytes);
                    Diagnostics.RelayTraffic.Relayed(bytes, toCandidate);
                }
                if (finished is null) continue;
                if (finished.Error is not null) throw finished.Error;
                to.CompleteWrites(); // half-close: the other direction goes on
                return;
            }
            // Stopped because the other direction failed.
        }
        catch (Exception)
        {
            // A reset or a closed session on either side.
            stopBoth();
        }
        // Stop reading both, end both (with end frames only).
        from.StopReading();
        toReading.StopReading();
        to.CompleteWrites();
        fromWriter.CompleteWrites();
        while (handed.TryRead(out var left))
        {
            if (left is SubstreamReceived received) received.ReleaseLease();
        }
    }

    /// <summary>
    /// Writes each chunk of <paramref name="segments"/> on its own, a piece of at most a tenth of a second's worth at a time,
    /// each once its tokens are there: each piece one write, so one frame or more of its own, as the reference relays.
    /// </summary>
    private static async Task WritePacedAsync(SubstreamWriter to, List<ArraySegment<byte>> segments, RelayTokens tokens,
        RelayPacing pacing)
    {
        var piece = new ArraySegment<byte>[1];
        foreach (var chunk in segments)
        {
            for (var offset = 0; offset < chunk.Count;)
            {
                var size = Math.Min(tokens.Piece, chunk.Count - offset);
                for (var wait = tokens.TryTake(size); wait > TimeSpan.Zero; wait = tokens.TryTake(size))
                    await pacing.DelayAsync(wait).ConfigureAwait(false);
                piece[0] = chunk.Slice(offset, size);
                await to.WriteAsync(piece).ConfigureAwait(false);
                offset += size;
            }
        }
    }
}
