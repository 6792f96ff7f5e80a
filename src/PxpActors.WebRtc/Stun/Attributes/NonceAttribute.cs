using System.Text;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// NONCE (RFC 8489 §14.10): a server-chosen nonce for long-term credentials. UTF-8, at most 763 bytes.
/// </summary>
public sealed record NonceAttribute : StunAttribute
{
    /// <summary>Longest nonce RFC 8489 allows, in UTF-8 bytes.</summary>
    public const int MaxBytes = 763;

    /// <summary>A nonce of <paramref name="value"/>.</summary>
    public NonceAttribute(string value)
    {
        StunValue.EncodeText(value, MaxBytes, "NONCE");
        Value = value;
    }

    /// <summary>The nonce.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.Nonce;
    internal override int ValueLength => Encoding.UTF8.GetByteCount(Value);
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        Encoding.UTF8.GetBytes(Value, destination);

    internal static NonceAttribute Parse(ReadOnlySpan<byte> value) => new(StunValue.ReadText(value, MaxBytes, "NONCE"));
}
