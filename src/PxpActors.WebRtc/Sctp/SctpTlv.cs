using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// The type-length-value layout SCTP chunks and parameters share (RFC 9260 sections 3.2 and 3.2.1): a 16-bit type
/// field (a chunk's type and flags bytes, a parameter's type), a 16-bit length that counts the 4-byte header and the
/// value but not the padding to a multiple of 4, then the value and that padding.
/// </summary>
public abstract record SctpTlv
{
    /// <summary>Bytes of the header: type field and length.</summary>
    public const int HeaderLength = 4;

    /// <summary>Length of the value alone (no header, no padding).</summary>
    public abstract int ValueLength { get; }

    /// <summary>Writes the value alone into <paramref name="destination"/>, exactly <see cref="ValueLength"/> bytes.</summary>
    public abstract void WriteValue(Span<byte> destination);

    /// <summary>Header plus value, the figure written in the length field.</summary>
    public int Length => HeaderLength + ValueLength;

    /// <summary>Bytes it occupies, padded to a multiple of 4.</summary>
    public int PaddedLength => Padded(Length);

    /// <summary>The header's first 16 bits.</summary>
    private protected abstract ushort TypeField { get; }

    /// <summary>Writes header, value and zero padding; returns the padded length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (Length > ushort.MaxValue)
            throw new InvalidOperationException($"{GetType().Name} is too long ({Length} bytes).");
        BinaryPrimitives.WriteUInt16BigEndian(destination, TypeField);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Length);
        WriteValue(destination.Slice(HeaderLength, ValueLength));
        destination[Length..PaddedLength].Clear();
        return PaddedLength;
    }

    /// <summary>The whole of it as one new array, padding included.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[PaddedLength];
        WriteTo(bytes);
        return bytes;
    }

    private protected static int Padded(int length) => (length + 3) & ~3;

    /// <summary>
    /// Reads the header at the start of <paramref name="bytes"/>: its type field and the length it announces, checked
    /// against what is there; <paramref name="consumed"/> includes the padding that is present.
    /// </summary>
    private protected static ushort ReadHeader(ReadOnlySpan<byte> bytes, string kind, Func<ushort, object> describeType,
        out int length, out int consumed)
    {
        if (bytes.Length < HeaderLength)
            throw new SctpProtocolException($"Truncated {kind.ToLowerInvariant()} header ({bytes.Length} bytes).");
        var typeField = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (length < HeaderLength || length > bytes.Length)
            throw new SctpProtocolException($"{kind} {describeType(typeField)} has bad length {length} ({bytes.Length} bytes available).");
        consumed = Math.Min(Padded(length), bytes.Length);
        return typeField;
    }
}
