namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to this attribute, with the header
/// length counting up to its end. <see cref="StunMessage.Encode"/> computes it; parsing keeps the received
/// value so <see cref="StunMessage.VerifyIntegrity"/> can check it.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    HMAC-SHA1 (20 bytes)                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record MessageIntegrityAttribute : StunAttribute
{
    /// <summary>Bytes of the HMAC-SHA1.</summary>
    public const int HmacLength = 20;

    internal MessageIntegrityAttribute(byte[] hmac) => Hmac = hmac;

    /// <summary>The HMAC-SHA1 of the message up to this attribute.</summary>
    public IReadOnlyList<byte> Hmac { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.MessageIntegrity;
    internal override int ValueLength => HmacLength;
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        throw new InvalidOperationException("MESSAGE-INTEGRITY is computed by StunMessage.Encode, not written as an attribute.");

    internal static MessageIntegrityAttribute Parse(ReadOnlySpan<byte> value)
    {
        StunValue.RequireLength(value, HmacLength, "MESSAGE-INTEGRITY");
        return new MessageIntegrityAttribute(value.ToArray());
    }
}
