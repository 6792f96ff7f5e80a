using System.Net;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// MAPPED-ADDRESS (RFC 8489 §14.1): the reflexive address in clear, sent only by RFC 3489-era servers.
/// Layout in <see cref="StunAddress"/>.
/// </summary>
public sealed record MappedAddressAttribute : StunAttribute
{
    /// <summary>The address <paramref name="endPoint"/>, sent in the clear.</summary>
    public MappedAddressAttribute(IPEndPoint endPoint)
    {
        StunAddress.RequireSupportedFamily(endPoint);
        EndPoint = endPoint;
    }

    /// <summary>The reflexive transport address.</summary>
    public IPEndPoint EndPoint { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.MappedAddress;
    internal override int ValueLength => StunAddress.Length(EndPoint);
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        StunAddress.Write(destination, EndPoint, xorWith: null);

    internal static MappedAddressAttribute Parse(ReadOnlySpan<byte> value) =>
        new(StunAddress.Read(value, xorWith: null, "MAPPED-ADDRESS"));
}
