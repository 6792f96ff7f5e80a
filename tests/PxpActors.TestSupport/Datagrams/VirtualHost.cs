using System.Net;
using System.Net.Sockets;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.TestSupport.Datagrams;

/// <summary>
/// A machine on a <see cref="VirtualNetwork"/>: its interface addresses (plus 127.0.0.1 when loopback is
/// asked for) and its sockets. Hand it to an ICE agent as the <see cref="IDatagramNetwork"/>.
/// </summary>
public sealed class VirtualHost : IDatagramNetwork
{
    private readonly VirtualNetwork _network;
    private readonly Dictionary<IPEndPoint, VirtualSocket> _sockets = [];
    private int _nextPort = 40000;

    internal VirtualHost(VirtualNetwork network, IReadOnlyList<IPAddress> addresses, VirtualNat? nat)
    {
        _network = network;
        Addresses = addresses;
        Nat = nat;
    }

    public IReadOnlyList<IPAddress> Addresses { get; }
    public VirtualNat? Nat { get; }

    /// <summary>Sockets bound on this host and not yet disposed.</summary>
    public int OpenSocketCount { get { lock (_network.Gate) return _sockets.Count; } }

    public IReadOnlyList<IPAddress> GetLocalAddresses(bool includeLoopback) =>
        includeLoopback ? [.. Addresses, IPAddress.Loopback] : Addresses;

    public IDatagramSocket Bind(IPEndPoint localEndPoint) => BindSocket(localEndPoint);

    public VirtualSocket BindSocket(IPEndPoint localEndPoint)
    {
        lock (_network.Gate)
        {
            if (!IPAddress.IsLoopback(localEndPoint.Address) && !Addresses.Contains(localEndPoint.Address))
                throw new SocketException((int)SocketError.AddressNotAvailable);
            var port = localEndPoint.Port == 0 ? _nextPort++ : localEndPoint.Port;
            var bound = new IPEndPoint(localEndPoint.Address, port);
            if (_sockets.ContainsKey(bound)) throw new SocketException((int)SocketError.AddressAlreadyInUse);
            var socket = new VirtualSocket(_network, this, bound);
            _sockets.Add(bound, socket);
            _network.Register(socket);
            return socket;
        }
    }

    internal bool Owns(IPAddress address) => IPAddress.IsLoopback(address) || Addresses.Contains(address);

    internal VirtualSocket? Find(IPEndPoint endPoint) => _sockets.GetValueOrDefault(endPoint);

    internal void Remove(VirtualSocket socket) => _sockets.Remove(socket.LocalEndPoint);
}
