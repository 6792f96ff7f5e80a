using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PxpActors.WebRtc.Ice.Mdns;

/// <summary>
/// A socket on the mDNS port, joined to the group on every multicast interface, for the answers responders send to
/// the group rather than to the asker: RFC 6762 §6 lets them, and Chromium always does (query ID 0, no question
/// section), whatever the query's unicast-response bit says. The port is shared (SO_REUSEADDR), as every mDNS stack on
/// a host shares it.
/// </summary>
internal static class MdnsGroupListener
{
    /// <summary>The socket, or null where the port or the group cannot be had (the resolver then hears unicast answers only).</summary>
    public static Socket? TryOpen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, MdnsResolver.Group.Port));
            var joined = false;
            foreach (var network in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (network.OperationalStatus != OperationalStatus.Up || !network.SupportsMulticast) continue;
                if (network.GetIPProperties().GetIPv4Properties() is not { } ipv4) continue;
                try
                {
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership,
                        new MulticastOption(MdnsResolver.Group.Address, ipv4.Index));
                    joined = true;
                }
                catch (SocketException)
                {
                    // This interface takes no membership (no IPv4 address, say): the others may.
                }
            }
            if (joined) return socket;
        }
        catch (Exception e) when (e is SocketException or NetworkInformationException or PlatformNotSupportedException)
        {
            // No group answers on this host.
        }
        socket.Dispose();
        return null;
    }
}
