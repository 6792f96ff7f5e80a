using System.Buffers;
using System.Runtime.InteropServices;
using Akka.IO;

namespace PxpActors.Streams;

/// <summary>
/// A chunk of received bytes in an array rented from <see cref="ArrayPool{T}.Shared"/>: made by the substream that
/// hands it over, given back by whoever it was handed to once done with it (never read after that).
/// </summary>
internal static class PooledChunk
{
    /// <summary>A copy of <paramref name="bytes"/> in a rented array.</summary>
    public static ByteString CopyOf(ReadOnlySpan<byte> bytes)
    {
        var array = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(array);
        return ByteString.FromBytes(array, 0, bytes.Length);
    }

    /// <summary>Returns the array behind a chunk made by <see cref="CopyOf"/> to the pool.</summary>
    public static void GiveBack(ByteString chunk)
    {
        if (MemoryMarshal.TryGetArray(ByteStringSegments.AsMemory(chunk), out var segment))
            ArrayPool<byte>.Shared.Return(segment.Array!);
    }
}
