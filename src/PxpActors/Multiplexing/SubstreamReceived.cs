using Akka.IO;
using PxpActors.Buffers;

namespace PxpActors.Multiplexing;

/// <summary>A chunk the peer sent on a forwarded substream; call <see cref="SubstreamForwarding.Release"/> on <paramref name="From"/> when handled.</summary>
public sealed record SubstreamReceived(SubstreamForwarding From, ByteString Data)
{
    /// <summary>
    /// For a target of leased chunks: the lease that keeps <see cref="Data"/>'s array, released once the chunk was used
    /// (see <see cref="ReleaseLease"/>). Null for other targets, whose chunks are their own.
    /// </summary>
    internal ChunkLease? Lease { get; init; }

    /// <summary>Done with <see cref="Data"/>: it must not be read after this.</summary>
    internal void ReleaseLease() => Lease?.Release();
}
