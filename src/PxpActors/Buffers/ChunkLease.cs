using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Akka.IO;

namespace PxpActors.Buffers;

/// <summary>
/// An array rented from <see cref="ArrayPool{T}.Shared"/> for received bytes, shared by whoever holds a slice of it:
/// it goes back to the pool when the last holder lets go, and is never read after that. The one who rents it holds it
/// (a transport stage until it reads again); a substream that hands a slice on without copying adds a holder, and whoever
/// gets the slice releases it once done. A relay then forwards what it read without copying it.
/// </summary>
internal sealed class ChunkLease
{
    private byte[]? _array;
    private int _holders = 1;

    private ChunkLease(byte[] array) => _array = array;

    /// <summary>A lease of an array of at least <paramref name="minimumLength"/> bytes, held by the caller.</summary>
    public static ChunkLease Rent(int minimumLength) => new(ArrayPool<byte>.Shared.Rent(minimumLength));

    /// <summary>A chunk that is a copy of <paramref name="bytes"/>, in a rented array the caller holds through <paramref name="lease"/>.</summary>
    public static ByteString CopyOf(ReadOnlySpan<byte> bytes, out ChunkLease lease)
    {
        lease = Rent(bytes.Length);
        bytes.CopyTo(lease.Array);
        return ByteString.FromBytes(lease.Array, 0, bytes.Length);
    }

    public byte[] Array => _array ?? throw new ObjectDisposedException(nameof(ChunkLease), "The leased array went back to the pool");

    /// <summary>True once the array went back to the pool.</summary>
    public bool IsReturned => Volatile.Read(ref _array) is null;

    /// <summary>
    /// Whether a slice of <paramref name="length"/> bytes is worth holding the whole array for rather than copying: at
    /// least a quarter of it, so what a substream's bound lets wait never keeps more than four times as much alive.
    /// </summary>
    public bool IsWorthSharing(int length) => length * 4L >= Array.Length;

    /// <summary>
    /// Whether <paramref name="payload"/> lies in <paramref name="lease"/>'s array and is worth holding it for (see
    /// <see cref="IsWorthSharing"/>); <paramref name="slice"/> is where, if so.
    /// </summary>
    public static bool TryShare([NotNullWhen(true)] ChunkLease? lease, ReadOnlyMemory<byte> payload, out ArraySegment<byte> slice) =>
        MemoryMarshal.TryGetArray(payload, out slice) && lease is not null && slice.Array == lease.Array
        && lease.IsWorthSharing(slice.Count);

    /// <summary>One more holder. Only a holder may add one: the array is then still leased.</summary>
    public void Retain() => Interlocked.Increment(ref _holders);

    /// <summary>One holder lets go; the last one gives the array back to the pool.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _holders);
        if (left > 0) return;
        if (left < 0) throw new InvalidOperationException("A chunk lease was released more often than it was held");
        ArrayPool<byte>.Shared.Return(Interlocked.Exchange(ref _array, null)!);
    }
}
