using System.Net.Sockets;
using PxpActors.Diagnostics;
using PxpActors.Transports.WebSocket;

namespace PxpActors.Carriers;

/// <summary>
/// The stream a <see cref="StreamCarrierStage"/> runs on, with how it reads and writes, and what it shares with a
/// multiplexer: for one session (see <see cref="CarrierBinding"/>).
/// </summary>
/// <param name="stream">The transport.</param>
/// <param name="writeTimeout">How long one write may wait for the peer to take data.</param>
/// <param name="readBufferSize">
/// Most bytes one read takes. By default 64 KiB, under 85,000 so no array a read hands on lands on the large-object heap;
/// 256 KiB when read buffers are lent (pooled arrays, never collected): a busy connection then costs fewer reads, and a
/// relay forwards several frames per read.
/// </param>
/// <param name="lendReadBuffers">
/// On a socket or a WebSocket, read into pooled arrays that are reused once the next chunk is pulled, unless a holder of the chunk's
/// lease (see <see cref="Lender"/>) keeps one: for a downstream stage that copies or leases what it keeps before it pulls
/// again (the session's multiplexer, given <see cref="Sender"/> and <see cref="Lender"/>).
/// </param>
/// <param name="transport">The transport's name (tcp, stream, …): the session's bytes are counted under it (null: not counted).</param>
public sealed class StreamCarrierBinding(Stream stream, TimeSpan? writeTimeout = null, int? readBufferSize = null,
    bool lendReadBuffers = false, string? transport = null) : CarrierBinding(transport)
{
    internal Stream Stream { get; } = stream;

    internal TimeSpan WriteTimeout { get; } = writeTimeout ?? Timeout.InfiniteTimeSpan;

    internal bool LendReadBuffers { get; } = lendReadBuffers && CanLend(stream);

    internal int ReadBufferSize { get; } = readBufferSize ?? (lendReadBuffers && CanLend(stream) ? 256 * 1024 : 64 * 1024);

    /// <summary>
    /// On a socket or a WebSocket, the sender the stage writes through, which a multiplexer's data writers may use too
    /// (see <see cref="SocketFrameWriter"/>, <see cref="WebSocketFrameWriter"/>); null for other streams.
    /// </summary>
    internal override SharedFrameWriter? Sender { get; } = stream switch
    {
        NetworkStream network => new SocketFrameWriter(network.Socket, writeTimeout ?? Timeout.InfiniteTimeSpan, new TransportTraffic(transport)),
        WebSocketConnectionStream webSocket => new WebSocketFrameWriter(webSocket, writeTimeout ?? Timeout.InfiniteTimeSpan, new TransportTraffic(transport)),
        _ => null,
    };

    /// <summary>When read buffers are lent: the lease of the chunk last pushed, for the stage downstream; else null.</summary>
    internal override ChunkLender? Lender { get; } = lendReadBuffers && CanLend(stream) ? new ChunkLender() : null;

    /// <summary>Streams whose reads the stage can wait on without a buffer (zero-byte reads), so lent arrays are held only while data flows.</summary>
    private static bool CanLend(Stream stream) => stream is NetworkStream or WebSocketConnectionStream;

    internal override void Discard() => Stream.Dispose();
}
