using System.Runtime.InteropServices;
using Akka.IO;
using PxpActors.Buffers;

namespace PxpActors.Carriers;

/// <summary>
/// Chunks never changed once pushed (any graph's elements, by Akka's contract): a kept slice is wrapped without copying,
/// unless it is under a quarter of its chunk, which it should not keep alive on its own.
/// </summary>
internal sealed class ImmutableChunks : ReceivedChunks
{
    private int _length;

    public override void Arrived(int length) => _length = length;

    public override ByteString Keep(ReadOnlyMemory<byte> payload) => Keep(payload, _length);

    public override ChunkLease? Lease => null;

    /// <summary>As <see cref="Keep(ReadOnlyMemory{byte})"/>, for a slice of a chunk of <paramref name="chunkLength"/> bytes.</summary>
    public static ByteString Keep(ReadOnlyMemory<byte> payload, int chunkLength) =>
        payload.Length * 4L >= chunkLength && MemoryMarshal.TryGetArray(payload, out var segment)
            ? ByteString.FromBytes(segment.Array!, segment.Offset, segment.Count)
            : ByteString.FromBytes(payload.ToArray());
}
