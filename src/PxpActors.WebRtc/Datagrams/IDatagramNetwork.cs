using System.Net;

namespace PxpActors.WebRtc.Datagrams;

/// <summary>The host's view of the network: its usable addresses and a way to bind sockets on them.</summary>
public interface IDatagramNetwork
{
    /// <summary>Addresses of the usable (up, non link-local) interfaces; loopback only when asked.</summary>
    IReadOnlyList<IPAddress> GetLocalAddresses(bool includeLoopback);

    /// <summary>Binds a socket to <paramref name="localEndPoint"/> (port 0 picks a free port).</summary>
    IDatagramSocket Bind(IPEndPoint localEndPoint);
}
