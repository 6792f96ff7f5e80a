namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>USE-CANDIDATE (RFC 8445 §7.1.2): the controlling agent nominates this pair. No value.</summary>
public sealed record UseCandidateAttribute : StunAttribute
{
    /// <summary>The attribute (it carries no value).</summary>
    public static readonly UseCandidateAttribute Instance = new();

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.UseCandidate;
    internal override int ValueLength => 0;
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) { }

    internal static UseCandidateAttribute Parse(ReadOnlySpan<byte> value)
    {
        StunValue.RequireLength(value, 0, "USE-CANDIDATE");
        return Instance;
    }
}
