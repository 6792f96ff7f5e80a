using System.Buffers.Binary;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): in a 420 response, the comprehension-required types not understood.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Attribute 1 Type         |       Attribute 2 Type        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record UnknownAttributesAttribute : StunAttribute
{
    /// <summary>Lists the attribute <paramref name="types"/> that were not understood.</summary>
    public UnknownAttributesAttribute(IReadOnlyList<ushort> types)
    {
        if (types.Count > MaxTypes) throw new ArgumentException($"At most {MaxTypes} unknown attribute types are reported.", nameof(types));
        Types = types.ToArray();
    }

    /// <summary>Our own bound on the list (the RFC sets none): more in a received message is malformed.</summary>
    public const int MaxTypes = 64;

    /// <summary>The attribute types that were not understood.</summary>
    public IReadOnlyList<ushort> Types { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.UnknownAttributes;
    internal override int ValueLength => 2 * Types.Count;

    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId)
    {
        for (var i = 0; i < Types.Count; i++) BinaryPrimitives.WriteUInt16BigEndian(destination[(2 * i)..], Types[i]);
    }

    internal static UnknownAttributesAttribute Parse(ReadOnlySpan<byte> value)
    {
        if (value.Length % 2 != 0) throw new StunFormatException("UNKNOWN-ATTRIBUTES has an odd length.");
        if (value.Length / 2 > MaxTypes) throw new StunFormatException($"UNKNOWN-ATTRIBUTES lists more than {MaxTypes} types.");
        var types = new ushort[value.Length / 2];
        for (var i = 0; i < types.Length; i++) types[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(2 * i)..]);
        return new UnknownAttributesAttribute(types);
    }
}
