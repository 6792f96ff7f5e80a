using System.Net;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the address the request came from, as the responder saw it; the
/// port and address are XOR-masked so NATs rewriting addresses in payloads leave it alone.
/// Layout in <see cref="StunAddress"/>.
/// </summary>
public sealed record XorMappedAddressAttribute : StunAttribute
{
    /// <summary>The address <paramref name="endPoint"/>, written XORed with the magic cookie.</summary>
    public XorMappedAddressAttribute(IPEndPoint endPoint)
    {
        StunAddress.RequireSupportedFamily(endPoint);
        EndPoint = endPoint;
    }

    /// <summary>The reflexive transport address.</summary>
    public IPEndPoint EndPoint { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.XorMappedAddress;
    internal override int ValueLength => StunAddress.Length(EndPoint);
    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId) =>
        StunAddress.Write(destination, EndPoint, transactionId);

    internal static XorMappedAddressAttribute Parse(ReadOnlySpan<byte> value, StunTransactionId transactionId) =>
        new(StunAddress.Read(value, transactionId, "XOR-MAPPED-ADDRESS"));
}
