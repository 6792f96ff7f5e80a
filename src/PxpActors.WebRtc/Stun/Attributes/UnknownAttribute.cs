namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>An attribute type this stack does not know, kept raw so a 420 response can name it.</summary>
public sealed record UnknownAttribute : StunAttribute
{
    /// <summary>An attribute of <paramref name="type"/> kept as its raw value.</summary>
    public UnknownAttribute(ushort type, byte[] value)
    {
        if (value.Length > ushort.MaxValue) throw new ArgumentException("An attribute value has at most 65535 bytes.", nameof(value));
        AttributeType = type;
        Value = value;
    }

    /// <summary>The attribute's type code as it arrived.</summary>
    public ushort AttributeType { get; }
    /// <summary>The attribute's value as it arrived.</summary>
    public IReadOnlyList<byte> Value { get; }

    /// <inheritdoc/>
    public override ushort Type => AttributeType;
    internal override int ValueLength => Value.Count;
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId)
    {
        for (var i = 0; i < Value.Count; i++) destination[i] = Value[i];
    }
}
