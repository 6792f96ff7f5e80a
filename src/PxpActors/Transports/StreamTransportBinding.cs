using System.Net.Sockets;
using PxpActors.Diagnostics;
using PxpActors.Streams;

namespace PxpActors.Transports;

/// <summary>
/// The stream a <see cref="StreamTransportStage"/> runs on, with how it reads and writes, and what it shares with a
/// multiplexer: for one session (see <see cref="TransportBinding"/>).
/// </summary>
/// <param name="stream">The transport.</param>
/// <param name="writeTimeout">How long one write may wait for the peer to take data.</param>
/// <param name="readBufferSize">
/// Most bytes one read takes. By default 64 KiB, under 85,000 so no array a read hands on lands on the large-object heap;
/// 256 KiB when read buffers are lent (pooled arrays, never collected): a busy connection then costs fewer reads, and a
/// relay forwards several frames per read.
/// </param>
/// <param name="lendReadBuffers">
/// On a socket, read into pooled arrays that are reused once the next chunk is pulled, unless a holder of the chunk's
/// lease (see <see cref="Lender"/>) keeps one: for a downstream stage that copies or leases what it keeps before it pulls
/// again (a <see cref="Streams.Multiplexer.MultiplexerStage"/> given <see cref="Sender"/> and <see cref="Lender"/>).
/// </param>
/// <param name="transport">The transport's name (tcp, stream, …): the session's bytes are counted under it (null: not counted).</param>
public sealed class StreamTransportBinding(Stream stream, TimeSpan? writeTimeout = null, int? readBufferSize = null,
    bool lendReadBuffers = false, string? transport = null) : TransportBinding(transport)
{
    internal Stream Stream { get; } = stream;

    internal TimeSpan WriteTimeout { get; } = writeTimeout ?? Timeout.InfiniteTimeSpan;

    internal bool LendReadBuffers { get; } = lendReadBuffers && stream is NetworkStream;

    internal int ReadBufferSize { get; } = readBufferSize ?? (lendReadBuffers && stream is NetworkStream ? 256 * 1024 : 64 * 1024);

    /// <summary>
    /// On a socket, the sender the stage writes through, which a multiplexer's data writers may use too (see
    /// <see cref="SharedSocketSender"/>); null for other streams.
    /// </summary>
    internal override FrameSender? Sender { get; } =
        stream is NetworkStream network ? new SharedSocketSender(network.Socket, writeTimeout ?? Timeout.InfiniteTimeSpan, new TransportTraffic(transport)) : null;

    /// <summary>When read buffers are lent: the lease of the chunk last pushed, for the stage downstream; else null.</summary>
    internal override ChunkLender? Lender { get; } = lendReadBuffers && stream is NetworkStream ? new ChunkLender() : null;

    internal override void Discard() => Stream.Dispose();
}
