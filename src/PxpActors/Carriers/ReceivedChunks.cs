using Akka.IO;
using PxpActors.Buffers;

namespace PxpActors.Carriers;

/// <summary>
/// The carrier's word on the chunks it pushes, the one seam through which the multiplexer keeps received bytes: whether a
/// slice may stay a slice, and the lease a forwarding channel may hold instead of copying. The multiplexer asks; it never
/// learns whether a chunk is lent (<see cref="ChunkLender"/>) or immutable (<see cref="ImmutableChunks"/>). One per
/// materialization, used on the stage's own thread while a chunk is decoded.
/// </summary>
internal abstract class ReceivedChunks
{
    /// <summary>A chunk of <paramref name="length"/> bytes is being decoded: what follows is about its slices.</summary>
    public abstract void Arrived(int length);

    /// <summary>Bytes of the current chunk to keep past it, as a ByteString that stays valid.</summary>
    public abstract ByteString Keep(ReadOnlyMemory<byte> payload);

    /// <summary>The lease a holder may take on the current chunk's array (see <see cref="ChunkLease.Retain"/>); null if none.</summary>
    public abstract ChunkLease? Lease { get; }
}
