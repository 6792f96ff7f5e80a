using System.Net;

namespace PxpActors.TestSupport.Datagrams;

/// <summary>
/// An endpoint-independent-mapping NAT (RFC 4787 §4.1) with configurable filtering: each inside
/// address:port gets one public port, and inbound traffic passes only as <see cref="Filtering"/> allows.
/// Guarded by the network's lock.
/// </summary>
public sealed class VirtualNat(IPAddress publicAddress, NatFiltering filtering)
{
    private readonly Dictionary<IPEndPoint, int> _outbound = [];
    private readonly Dictionary<int, (IPEndPoint Inside, HashSet<IPEndPoint> Contacted)> _inbound = [];
    private int _nextPort = 50000;

    public IPAddress PublicAddress { get; } = publicAddress;
    public NatFiltering Filtering { get; } = filtering;

    /// <summary>Number of mappings created so far.</summary>
    public int MappingCount => _outbound.Count;

    internal IPEndPoint MapOutbound(IPEndPoint inside, IPEndPoint destination)
    {
        if (!_outbound.TryGetValue(inside, out var port))
        {
            port = _nextPort++;
            _outbound.Add(inside, port);
            _inbound.Add(port, (inside, []));
        }
        _inbound[port].Contacted.Add(destination);
        return new IPEndPoint(PublicAddress, port);
    }

    internal IPEndPoint? MapInbound(int publicPort, IPEndPoint source)
    {
        if (!_inbound.TryGetValue(publicPort, out var mapping)) return null;
        var allowed = Filtering switch
        {
            NatFiltering.EndpointIndependent => true,
            NatFiltering.AddressDependent => mapping.Contacted.Any(c => c.Address.Equals(source.Address)),
            _ => mapping.Contacted.Contains(source),
        };
        return allowed ? mapping.Inside : null;
    }
}
