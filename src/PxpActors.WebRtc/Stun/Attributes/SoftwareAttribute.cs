using System.Text;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// SOFTWARE (RFC 8489 §14.14): a description of the sending software. UTF-8, at most 763 bytes.
/// </summary>
public sealed record SoftwareAttribute : StunAttribute
{
    /// <summary>Longest description RFC 8489 allows, in UTF-8 bytes.</summary>
    public const int MaxBytes = 763;

    /// <summary>Names the sender's software as <paramref name="value"/>.</summary>
    public SoftwareAttribute(string value)
    {
        StunValue.EncodeText(value, MaxBytes, "SOFTWARE");
        Value = value;
    }

    /// <summary>The software's description.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.Software;
    internal override int ValueLength => Encoding.UTF8.GetByteCount(Value);
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        Encoding.UTF8.GetBytes(Value, destination);

    internal static SoftwareAttribute Parse(ReadOnlySpan<byte> value) => new(StunValue.ReadText(value, MaxBytes, "SOFTWARE"));
}
