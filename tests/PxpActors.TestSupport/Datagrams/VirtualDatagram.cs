using System.Net;

namespace PxpActors.TestSupport.Datagrams;

/// <summary>A datagram crossing a <see cref="VirtualNetwork"/>, with the addresses as seen on the wire (after NAT).</summary>
public sealed record VirtualDatagram(IPEndPoint From, IPEndPoint To, byte[] Data)
{
    internal VirtualHost? Sender { get; init; }
}
