using System.Net;
using System.Net.Sockets;

namespace PxpActors.Bench.Topologies;

/// <summary>The baseline: two plain .NET sockets on loopback, TCP_NODELAY set as ours sets it.</summary>
public static class RawTcpPair
{
    public static async Task<StreamPair> OpenAsync(CancellationToken cancellationToken = default)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var accepting = listener.AcceptAsync(cancellationToken).AsTask();
            await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
            var server = await accepting.ConfigureAwait(false);
            server.NoDelay = true;
            return new StreamPair(new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
