using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PxpActors.WebRtc.Stun;

/// <summary>The 96-bit transaction id of a STUN message, as a value usable as a dictionary key.</summary>
public readonly record struct StunTransactionId(ulong High, uint Low)
{
    public const int Length = 12;

    /// <summary>A fresh id from a cryptographic random source (RFC 8489 §5 asks for one).</summary>
    public static StunTransactionId New()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public static StunTransactionId Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Low);
    }

    public override string ToString() => $"{High:x16}{Low:x8}";
}
