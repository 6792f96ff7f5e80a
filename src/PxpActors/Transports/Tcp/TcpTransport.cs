using System.Net;
using System.Net.Sockets;

namespace PxpActors.Transports.Tcp;

/// <summary>
/// PXP over TCP. Plain sockets rather than Akka.Streams TCP: we need TCP_NODELAY on every connection
/// (the reference's delayed-ACK stalls cost ~88 ms per handshake), zero-byte reads so an idle peer
/// holds no receive buffer, and the same <see cref="StreamTransportStage"/> that serves every other stream.
/// </summary>
public sealed class TcpTransport : ITransport
{
    public string Scheme => "tcp";

    public async Task<Stream> ConnectAsync(Uri address, CancellationToken cancellationToken = default)
    {
        RequireScheme(address);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new NetworkStream(socket, ownsSocket: true);
    }

    public Task<ITransportListener> ListenAsync(Uri address, Func<Stream, Task> onAccepted,
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
        return Task.FromResult<ITransportListener>(new Listener(socket, onAccepted));
    }

    private static void RequireScheme(Uri address)
    {
        if (address.Scheme != "tcp")
            throw new ArgumentException($"TcpTransport serves tcp:// addresses, not {address.Scheme}://", nameof(address));
    }

    private sealed class Listener : ITransportListener
    {
        private readonly Socket _socket;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _acceptLoop;

        public Listener(Socket socket, Func<Stream, Task> onAccepted)
        {
            _socket = socket;
            var endPoint = (IPEndPoint)socket.LocalEndPoint!;
            LocalAddress = new Uri($"tcp://{FormatHost(endPoint.Address)}:{endPoint.Port}");
            _acceptLoop = AcceptLoop(onAccepted);
        }

        public Uri LocalAddress { get; }

        private async Task AcceptLoop(Func<Stream, Task> onAccepted)
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket accepted;
                try
                {
                    accepted = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                accepted.NoDelay = true;
                _ = onAccepted(new NetworkStream(accepted, ownsSocket: true));
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _socket.Dispose();
            await _acceptLoop.ConfigureAwait(false);
            _stop.Dispose();
        }

        private static string FormatHost(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }
}
