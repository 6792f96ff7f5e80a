using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PxpActors.WebRtc.Datagrams;

/// <summary>The machine's real interfaces and UDP sockets.</summary>
public sealed class UdpNetwork : IDatagramNetwork
{
    /// <summary>The machine's network.</summary>
    public static UdpNetwork Instance { get; } = new();

    private UdpNetwork() { }

    /// <summary>The machine's unicast addresses that are up, loopback ones too when asked.</summary>
    public IReadOnlyList<IPAddress> GetLocalAddresses(bool includeLoopback)
    {
        var addresses = new List<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                continue;
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (IsUsable(unicast.Address, includeLoopback) && !addresses.Contains(unicast.Address))
                    addresses.Add(unicast.Address);
            }
        }
        return addresses;
    }

    /// <summary>Binds a UDP socket to <paramref name="localEndPoint"/>.</summary>
    public IDatagramSocket Bind(IPEndPoint localEndPoint) => UdpDatagramSocket.Bind(localEndPoint);

    /// <summary>
    /// Link-local and site-scoped IPv6 need a scope id peers cannot use, and IPv4-mapped addresses duplicate
    /// an IPv4 interface, so they never make host candidates.
    /// </summary>
    internal static bool IsUsable(IPAddress address, bool includeLoopback)
    {
        if (IPAddress.IsLoopback(address)) return includeLoopback;
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !IsIPv4LinkLocal(address),
            AddressFamily.InterNetworkV6 => !address.IsIPv6LinkLocal && !address.IsIPv6SiteLocal
                && !address.IsIPv4MappedToIPv6 && !address.IsIPv6Multicast,
            _ => false,
        };
    }

    private static bool IsIPv4LinkLocal(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return bytes[0] == 169 && bytes[1] == 254;
    }
}
