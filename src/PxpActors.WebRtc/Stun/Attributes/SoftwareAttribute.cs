using System.Text;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// SOFTWARE (RFC 8489 §14.14): a description of the sending software. UTF-8, at most 763 bytes.
/// </summary>
public sealed record SoftwareAttribute : StunAttribute
{
    public const int MaxBytes = 763;

    public SoftwareAttribute(string value)
    {
        StunValue.EncodeText(value, MaxBytes, "SOFTWARE");
        Value = value;
    }

    public string Value { get; }

    public override ushort Type => StunAttributeType.Software;
    internal override int ValueLength => Encoding.UTF8.GetByteCount(Value);
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        Encoding.UTF8.GetBytes(Value, destination);

    internal static SoftwareAttribute Parse(ReadOnlySpan<byte> value) => new(StunValue.ReadText(value, MaxBytes, "SOFTWARE"));
}
