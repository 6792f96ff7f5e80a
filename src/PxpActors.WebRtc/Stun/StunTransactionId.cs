using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PxpActors.WebRtc.Stun;

/// <summary>The 96-bit transaction id of a STUN message, as a value usable as a dictionary key.</summary>
public readonly record struct StunTransactionId(ulong High, uint Low)
{
    /// <summary>Bytes of a transaction id.</summary>
    public const int Length = 12;

    /// <summary>A fresh id from a cryptographic random source (RFC 8489 §5 asks for one).</summary>
    public static StunTransactionId New()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    /// <summary>Reads an id from the first 12 bytes of <paramref name="source"/>.</summary>
    public static StunTransactionId Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));

    /// <summary>Writes the id into the first 12 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Low);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{High:x16}{Low:x8}";
}
