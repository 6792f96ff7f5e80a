using PxpActors.Diagnostics;
using PxpActors.Protocol.Framing;

namespace PxpActors.Carriers;

/// <summary>
/// The one way out of a session, shared by its transport stage and by writers that send their data frames
/// themselves (see <c>SubstreamChannel</c>): one sender at a time, a frame always whole. Sending from the writer's
/// own thread, straight from its buffer, is what lets an application stream keep up with what carries it: no copy,
/// no hand-over to the stage and back. What carries the frames is the subclass's: a socket
/// (<see cref="SocketFrameWriter"/>), a WebSocket (<see cref="WebSocketFrameWriter"/>) or another session's substream (<c>Relays/SubstreamFrameWriter</c>). What a writer
/// sends here is counted in <paramref name="traffic"/>, once per send (the stage counts its own sends).
/// </summary>
internal abstract class SharedFrameWriter(TransportTraffic traffic)
{
    // A large write goes out in sends of several frames, so a relay's batch or a big application write costs few
    // system calls; a send stays small enough that other writers and the stage wait for it only briefly.
    private const int MaxGatheredFrames = 8;
    private const int MaxGatheredBytes = 256 * 1024;
    private const int HeaderRoom = 2 * Varint.MaxLength;

    private readonly SemaphoreSlim _gate = new(1, 1);
    // Used only by a direct sender holding the gate; made by the first (most sessions never have one).
    private List<ArraySegment<byte>>? _segments;
    private byte[]? _headers;
    private long _elementsSent;
    private volatile string? _closedBecause;

    /// <summary>Elements of the transport stage sent so far: once it equals the count pushed to it, none is in flight.</summary>
    internal long ElementsSent => Volatile.Read(ref _elementsSent);

    internal void CountElementSent() => Interlocked.Increment(ref _elementsSent);

    internal bool TryEnter() => _gate.Wait(0);

    internal Task EnterAsync(CancellationToken cancellationToken = default) => _gate.WaitAsync(cancellationToken);

    internal void Exit() => _gate.Release();

    /// <summary>No more sends: writers waiting or coming fail with <paramref name="reason"/>.</summary>
    internal void Close(string reason) => _closedBecause ??= reason;

    /// <summary>
    /// Ends sending between two frames, never in the middle of another sender's: holding the sender, closes it with
    /// <paramref name="reason"/> and runs <paramref name="end"/> (a half-close, an end frame). Done at once on the caller's
    /// thread when the sender is free (a failure then throws here), else once it is (the task says how that went).
    /// </summary>
    internal Task CloseBetweenFramesAsync(string reason, Action end, CancellationToken cancellationToken = default)
    {
        if (!TryEnter()) return CloseWhenFreeAsync(reason, end, cancellationToken);
        CloseHolding(reason, end);
        return Task.CompletedTask;
    }

    private async Task CloseWhenFreeAsync(string reason, Action end, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        CloseHolding(reason, end);
    }

    private void CloseHolding(string reason, Action end)
    {
        try
        {
            Close(reason);
            end();
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Sends the bytes of <paramref name="payload"/>'s buffers, in order, as data frames of at most
    /// <paramref name="maxFramePayload"/> bytes (give or take the multiplexer's slack) on our channel
    /// <paramref name="channel"/>, whole frames (headers and payloads) gathered into each send, with no copy. Completes
    /// once what carries the frames took them all: the caller may then reuse its buffers.
    /// </summary>
    /// <param name="channelClosed">Asked before each send: once true, nothing more is sent (the channel's number may be reused).</param>
    /// <param name="channel">Our number of the channel.</param>
    /// <param name="payload">The bytes, in buffers the caller keeps until the send completes.</param>
    /// <param name="maxFramePayload">The largest frame payload to send.</param>
    /// <param name="cancellationToken">Cancels waiting for the sender.</param>
    internal async ValueTask SendDataAsync(uint channel, IReadOnlyList<ArraySegment<byte>> payload, int maxFramePayload,
        Func<bool> channelClosed, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var segments = _segments ??= new List<ArraySegment<byte>>(4);
            var headers = _headers ??= new byte[MaxGatheredFrames * HeaderRoom];
            var left = payload.Sum(segment => (long)segment.Count);
            var (index, offset) = (0, 0);
            while (left > 0)
            {
                if (_closedBecause is { } reason) throw new IOException(reason);
                if (channelClosed()) throw new IOException("The substream was closed during the write");
                segments.Clear();
                var (frames, gathered, headerBytes) = (0, 0L, 0);
                do
                {
                    var frameLength = DataFrameSizes.NextPayload(left, maxFramePayload);
                    var header = headers.AsSpan(frames * HeaderRoom, HeaderRoom);
                    var headerLength = Varint.Write(channel << 3 | (uint)FrameType.DataFromCreator, header);
                    headerLength += Varint.Write((uint)frameLength, header[headerLength..]);
                    segments.Add(new ArraySegment<byte>(headers, frames * HeaderRoom, headerLength));
                    headerBytes += headerLength;
                    for (var needed = frameLength; needed > 0;)
                    {
                        var segment = payload[index];
                        var take = Math.Min(needed, segment.Count - offset);
                        if (take > 0) segments.Add(segment.Slice(offset, take));
                        needed -= take;
                        offset += take;
                        if (offset == segment.Count) (index, offset) = (index + 1, 0);
                    }
                    left -= frameLength;
                    gathered += frameLength;
                    frames++;
                }
                while (left > 0 && frames < MaxGatheredFrames && gathered < MaxGatheredBytes);
                await SendFramesAsync(segments, cancellationToken).ConfigureAwait(false);
                traffic.Sent(gathered + headerBytes);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whole frames as one write for a caller that holds the gate (the transport stage): see <see cref="SendFramesAsync"/>.</summary>
    internal ValueTask SendHeldAsync(List<ArraySegment<byte>> frames, CancellationToken cancellationToken) =>
        SendFramesAsync(frames, cancellationToken);

    /// <summary>
    /// Whole frames, their buffers in order, as one write; the caller holds the gate. Completes once they may be reused:
    /// the list and the header buffers are refilled for the next send.
    /// </summary>
    protected abstract ValueTask SendFramesAsync(List<ArraySegment<byte>> frames, CancellationToken cancellationToken);
}
