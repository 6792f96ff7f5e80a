using System.Net;
using System.Net.Sockets;
using PxpActors.Resources;

namespace PxpActors.Transports;

/// <summary>The transport for an address's scheme, and what a node needs to know of a peer's stream.</summary>
internal static class UriTransports
{
    public static ITransport For(Uri address, NodeResources resources, WebSocket.WebSocketSettings webSocket, TimeSpan handshakeTimeout) =>
        address.Scheme switch
        {
            "tcp" => new Tcp.TcpTransport(resources.Sockets),
            "ws" or "wss" => new WebSocket.WebSocketTransport(secure: address.Scheme == "wss", webSocket, resources.Sockets,
                resources.Limits, handshakeTimeout),
            _ => throw new NotSupportedException($"No transport for {address.Scheme}:// addresses (supported: tcp://, ws://, wss://)"),
        };

    /// <summary>The peer's IP address and port (for the per-address limit, and to name the peer), when the stream is a socket.</summary>
    public static IPEndPoint? RemoteEndPoint(Stream stream)
    {
        try
        {
            return stream switch
            {
                NetworkStream { Socket.RemoteEndPoint: IPEndPoint endPoint } =>
                    endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint,
                WebSocket.WebSocketConnectionStream webSocket => webSocket.RemoteEndPoint,
                _ => null,
            };
        }
        catch (ObjectDisposedException)
        {
            return null; // closed already: the session will end at once anyway
        }
    }
}
