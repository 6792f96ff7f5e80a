using System.Buffers.Binary;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// ICE-CONTROLLING (RFC 8445 §7.1.3): the sender believes it is the controlling agent; the tie-breaker
/// settles a role conflict (RFC 8445 §7.3.1.1).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Tie-breaker (64 bits)                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record IceControllingAttribute(ulong TieBreaker) : StunAttribute
{
    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.IceControlling;
    internal override int ValueLength => 8;
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, TieBreaker);

    internal static IceControllingAttribute Parse(ReadOnlySpan<byte> value) => new(StunValue.ReadUInt64(value, "ICE-CONTROLLING"));
}
