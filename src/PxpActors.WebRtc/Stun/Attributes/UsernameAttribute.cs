using System.Text;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// USERNAME (RFC 8489 §14.3): the user name of a credential; ICE puts "remote-ufrag:local-ufrag" here (RFC 8445 §7.2.2). UTF-8, at most 513 bytes.
/// </summary>
public sealed record UsernameAttribute : StunAttribute
{
    /// <summary>Longest username RFC 8489 allows, in UTF-8 bytes.</summary>
    public const int MaxBytes = 513;

    /// <summary>A username of <paramref name="value"/> (for ICE, "remote-ufrag:local-ufrag").</summary>
    public UsernameAttribute(string value)
    {
        StunValue.EncodeText(value, MaxBytes, "USERNAME");
        Value = value;
    }

    /// <summary>The username.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.Username;
    internal override int ValueLength => Encoding.UTF8.GetByteCount(Value);
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        Encoding.UTF8.GetBytes(Value, destination);

    internal static UsernameAttribute Parse(ReadOnlySpan<byte> value) => new(StunValue.ReadText(value, MaxBytes, "USERNAME"));
}
