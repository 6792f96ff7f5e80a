using System.Net.Sockets;
using PxpActors.Protocol.Framing;

namespace PxpActors.Transports;

/// <summary>
/// The one way onto a session's socket, shared by its <see cref="StreamTransportStage"/> and by writers that send
/// their frames themselves (an application stream's data, see <c>SubstreamChannel</c>): one sender at a time, a
/// frame always whole. Sending from the writer's own thread, straight from its buffer, is what lets an
/// application stream keep up with a bare socket: no copy, no hand-over to the stage and back.
/// </summary>
internal sealed class SharedSocketSender
{
    private readonly Socket _socket;
    private readonly TimeSpan _writeTimeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    // Used only by a direct sender holding the gate; made by the first (most sessions never have one).
    private List<ArraySegment<byte>>? _segments;
    private byte[]? _header;
    private long _elementsSent;
    private volatile string? _closedBecause;

    internal SharedSocketSender(Socket socket, TimeSpan writeTimeout)
    {
        _socket = socket;
        _writeTimeout = writeTimeout;
    }

    /// <summary>Elements of the transport stage sent so far: once it equals the count pushed to it, none is in flight.</summary>
    internal long ElementsSent => Volatile.Read(ref _elementsSent);

    internal void CountElementSent() => Interlocked.Increment(ref _elementsSent);

    internal bool TryEnter() => _gate.Wait(0);

    internal Task EnterAsync(CancellationToken cancellationToken = default) => _gate.WaitAsync(cancellationToken);

    internal void Exit() => _gate.Release();

    /// <summary>No more sends: writers waiting or coming fail with <paramref name="reason"/>.</summary>
    internal void Close(string reason) => _closedBecause ??= reason;

    /// <summary>
    /// Sends the bytes of <paramref name="payload"/>'s buffers, in order, as data frames of at most
    /// <paramref name="maxFramePayload"/> bytes (give or take the multiplexer's slack) on our channel <paramref name="channel"/>, each frame one gathering send
    /// of its header and payload (no copy). Completes once the socket took it all: the caller may then reuse its buffers.
    /// </summary>
    /// <param name="channelClosed">Asked before each frame: once true, nothing more is sent (the channel's number may be reused).</param>
    internal async ValueTask SendDataAsync(uint channel, IReadOnlyList<ArraySegment<byte>> payload, int maxFramePayload,
        Func<bool> channelClosed, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var segments = _segments ??= new List<ArraySegment<byte>>(4);
            var header = _header ??= new byte[2 * Varint.MaxLength];
            var left = payload.Sum(segment => (long)segment.Count);
            var (index, offset) = (0, 0);
            while (left > 0)
            {
                if (_closedBecause is { } reason) throw new IOException(reason);
                if (channelClosed()) throw new IOException("The substream was closed during the write");
                var frameLength = Streams.Multiplexer.MultiplexerSettings.NextSendFramePayload(left, maxFramePayload);
                var headerLength = Varint.Write(channel << 3 | (uint)FrameType.DataFromCreator, header);
                headerLength += Varint.Write((uint)frameLength, header.AsSpan(headerLength));
                segments.Clear();
                segments.Add(new ArraySegment<byte>(header, 0, headerLength));
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
                var send = _socket.SendAsync(segments, SocketFlags.None); // the list is read until the send completes
                if (!send.IsCompletedSuccessfully) await WaitForSendAsync(send).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A stream socket's send completes once all is sent; one the peer does not take in time is a dead session.</summary>
    internal async Task WaitForSendAsync(Task<int> send)
    {
        try
        {
            await send.WaitAsync(_writeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the peer took no data for {_writeTimeout.TotalSeconds:0.###} s (it is not reading)");
        }
    }
}
