using System.Net;
using System.Net.Sockets;
using PxpActors.Resources;

namespace PxpActors.Transports.Tcp;

/// <summary>
/// PXP over TCP. Plain sockets rather than Akka.Streams TCP: we need TCP_NODELAY on every connection
/// (the reference's delayed-ACK stalls cost ~88 ms per handshake), zero-byte reads so an idle peer
/// holds no receive buffer, and the same carrier stage (Carriers/StreamCarrierStage) that serves every other stream.
/// </summary>
/// <param name="gate">
/// Where the node counts its open sockets: a connection accepted past its cap is closed at once, and a connect past it
/// fails. None by default.
/// </param>
public sealed class TcpTransport(SocketGate? gate = null) : ITransport
{
    private readonly SocketGate _gate = gate ?? new SocketGate(int.MaxValue);

    /// <summary>"tcp".</summary>
    public string Scheme => "tcp";

    /// <summary>Dials <c>tcp://HOST:PORT</c> with TCP_NODELAY; fails when the node holds its connection cap.</summary>
    public async Task<Stream> ConnectAsync(Uri address, CancellationToken cancellationToken = default)
    {
        RequireScheme(address);
        if (!_gate.TryEnter())
            throw new IOException($"Cannot connect to {address}: this node has its limit of {_gate.Cap} connections open (pxp.limits)");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            _gate.Leave();
            throw;
        }
        return new GatedNetworkStream(socket, _gate);
    }

    /// <summary>Listens on <c>tcp://IP:PORT</c> (or localhost); each accepted socket goes to <paramref name="onAccepted"/> as a stream.</summary>
    public Task<ITransportListener> ListenAsync(Uri address, Func<Stream, Task> onAccepted, Action<ListenerException>? onError = null,
        CancellationToken cancellationToken = default)
    {
        RequireScheme(address);
        var ip = address.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(address.Host);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(ip, address.Port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var endPoint = (IPEndPoint)socket.LocalEndPoint!;
        var local = new Uri($"tcp://{FormatHost(endPoint.Address)}:{endPoint.Port}");
        return Task.FromResult<ITransportListener>(
            new AcceptingListener(local, socket.AcceptAsync, socket, _gate, onAccepted, onError));
    }

    private static string FormatHost(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    private static void RequireScheme(Uri address)
    {
        if (address.Scheme != "tcp")
            throw new ArgumentException($"TcpTransport serves tcp:// addresses, not {address.Scheme}://", nameof(address));
    }
}
