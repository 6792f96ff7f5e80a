using System.Net.Sockets;
using PxpActors.Diagnostics;

namespace PxpActors.Carriers.Pipes;

/// <summary>
/// The socket a <see cref="PipeCarrierStage"/> runs on, as an <see cref="SocketDuplexPipe"/>, and what it shares with a
/// multiplexer: for one session (see <see cref="CarrierBinding"/>).
/// </summary>
internal sealed class PipeCarrierBinding : CarrierBinding
{
    private readonly PipeSegmentChunks _chunks = new();

    /// <param name="stream">The socket's stream (disposed when the session ends).</param>
    /// <param name="writeTimeout">How long one send may wait for the peer to take data.</param>
    /// <param name="transport">The transport's name: the session's bytes are counted under it (null: not counted).</param>
    public PipeCarrierBinding(NetworkStream stream, TimeSpan? writeTimeout = null, string? transport = null) : base(transport)
    {
        Pipe = new SocketDuplexPipe(stream, stream.Socket, writeTimeout ?? Timeout.InfiniteTimeSpan);
        Sender = new PipeFrameWriter(Pipe.Output, new TransportTraffic(transport));
    }

    internal SocketDuplexPipe Pipe { get; }

    /// <summary>The sender the stage writes through, which a multiplexer's data writers may use too.</summary>
    internal override PipeFrameWriter Sender { get; }

    /// <summary>None: the stage's chunks are the pipe's segments (see <see cref="Chunks"/>).</summary>
    internal override ChunkLender? Lender => null;

    internal override PipeSegmentChunks Chunks => _chunks;

    internal override void Discard() => Pipe.Abort();
}
