namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// One STUN attribute (RFC 8489 §14): a type, and a value padded to four bytes on the wire.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Value (variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public abstract record StunAttribute
{
    /// <summary>The attribute's type code (<see cref="StunAttributeType"/>).</summary>
    public abstract ushort Type { get; }

    /// <summary>Types below 0x8000 must be understood by the receiver (RFC 8489 §14).</summary>
    public bool IsComprehensionRequired => Type < 0x8000;

    /// <summary>Length of the value before padding.</summary>
    internal abstract int ValueLength { get; }

    /// <summary>Writes the value; the transaction id is there for the XOR-encoded addresses.</summary>
    internal abstract void WriteValue(Span<byte> destination, StunTransactionId transactionId);
}
