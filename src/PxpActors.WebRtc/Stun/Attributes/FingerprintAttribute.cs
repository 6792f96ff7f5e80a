namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to this attribute, XORed with 0x5354554e, always
/// last. It lets STUN be told apart from other protocols on the same port. <see cref="StunMessage.Encode"/>
/// computes it and <see cref="StunMessage.Parse"/> checks it.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 CRC-32 XOR 0x5354554e                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record FingerprintAttribute : StunAttribute
{
    /// <summary>What the CRC-32 is XORed with ("STUN").</summary>
    public const uint XorMask = 0x5354554e;

    internal FingerprintAttribute(uint value) => Value = value;

    /// <summary>The value as carried (CRC already XORed with <see cref="XorMask"/>).</summary>
    public uint Value { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.Fingerprint;
    internal override int ValueLength => 4;
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        throw new InvalidOperationException("FINGERPRINT is computed by StunMessage.Encode, not written as an attribute.");

    internal static FingerprintAttribute Parse(ReadOnlySpan<byte> value) => new(StunValue.ReadUInt32(value, "FINGERPRINT"));
}
