namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>Turns one attribute's type and value into its typed record; unknown types are kept raw.</summary>
internal static class StunAttributeReader
{
    public static StunAttribute Read(ushort type, ReadOnlySpan<byte> value, StunTransactionId transactionId) => type switch
    {
        StunAttributeType.MappedAddress => MappedAddressAttribute.Parse(value),
        StunAttributeType.XorMappedAddress => XorMappedAddressAttribute.Parse(value, transactionId),
        StunAttributeType.Username => UsernameAttribute.Parse(value),
        StunAttributeType.MessageIntegrity => MessageIntegrityAttribute.Parse(value),
        StunAttributeType.Fingerprint => FingerprintAttribute.Parse(value),
        StunAttributeType.ErrorCode => ErrorCodeAttribute.Parse(value),
        StunAttributeType.UnknownAttributes => UnknownAttributesAttribute.Parse(value),
        StunAttributeType.Realm => RealmAttribute.Parse(value),
        StunAttributeType.Nonce => NonceAttribute.Parse(value),
        StunAttributeType.Software => SoftwareAttribute.Parse(value),
        StunAttributeType.Priority => PriorityAttribute.Parse(value),
        StunAttributeType.UseCandidate => UseCandidateAttribute.Parse(value),
        StunAttributeType.IceControlled => IceControlledAttribute.Parse(value),
        StunAttributeType.IceControlling => IceControllingAttribute.Parse(value),
        _ => new UnknownAttribute(type, value.ToArray()),
    };
}
