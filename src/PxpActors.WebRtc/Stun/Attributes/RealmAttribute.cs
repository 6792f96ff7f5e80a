using System.Text;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// REALM (RFC 8489 §14.9): the realm of a long-term credential. UTF-8, at most 763 bytes.
/// </summary>
public sealed record RealmAttribute : StunAttribute
{
    /// <summary>Longest realm RFC 8489 allows, in UTF-8 bytes.</summary>
    public const int MaxBytes = 763;

    /// <summary>A realm of <paramref name="value"/>.</summary>
    public RealmAttribute(string value)
    {
        StunValue.EncodeText(value, MaxBytes, "REALM");
        Value = value;
    }

    /// <summary>The realm.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.Realm;
    internal override int ValueLength => Encoding.UTF8.GetByteCount(Value);
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        Encoding.UTF8.GetBytes(Value, destination);

    internal static RealmAttribute Parse(ReadOnlySpan<byte> value) => new(StunValue.ReadText(value, MaxBytes, "REALM"));
}
