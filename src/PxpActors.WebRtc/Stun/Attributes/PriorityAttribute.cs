using System.Buffers.Binary;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// PRIORITY (RFC 8445 §7.1.1): the priority a peer-reflexive candidate learned from this check would get.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Priority (32 bits)                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record PriorityAttribute(uint Priority) : StunAttribute
{
    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.Priority;
    internal override int ValueLength => 4;
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, Priority);

    internal static PriorityAttribute Parse(ReadOnlySpan<byte> value) => new(StunValue.ReadUInt32(value, "PRIORITY"));
}
