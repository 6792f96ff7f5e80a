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
        return Task.FromResult<ITransportListener>(new Listener(socket, onAccepted, onError));
    }

    private static void RequireScheme(Uri address)
    {
        if (address.Scheme != "tcp")
            throw new ArgumentException($"TcpTransport serves tcp:// addresses, not {address.Scheme}://", nameof(address));
    }

    private sealed class Listener : ITransportListener
    {
        // After a passing accept error: wait, doubling up to a second, so a node out of descriptors is not spun on.
        private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(10);
        private static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(1);

        private readonly Socket _socket;
        private readonly Action<ListenerException>? _onError;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _acceptLoop;

        public Listener(Socket socket, Func<Stream, Task> onAccepted, Action<ListenerException>? onError)
        {
            _socket = socket;
            _onError = onError;
            var endPoint = (IPEndPoint)socket.LocalEndPoint!;
            LocalAddress = new Uri($"tcp://{FormatHost(endPoint.Address)}:{endPoint.Port}");
            _acceptLoop = AcceptLoop(onAccepted);
        }

        public Uri LocalAddress { get; }

        private async Task AcceptLoop(Func<Stream, Task> onAccepted)
        {
            var backOff = FirstBackOff;
            while (!_stop.IsCancellationRequested)
            {
                Socket accepted;
                try
                {
                    accepted = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                    backOff = FirstBackOff;
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException e) when (IsPassing(e.SocketErrorCode))
                {
                    Report(fatal: false, $"accepting failed ({e.Message}); retrying in {backOff.TotalMilliseconds:0} ms", e);
                    if (!await BackOffAsync(backOff).ConfigureAwait(false)) return;
                    backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, LongestBackOff.Ticks));
                    continue;
                }
                catch (Exception e)
                {
                    Report(fatal: true, $"stopped accepting: {e.Message}", e);
                    return;
                }
                try
                {
                    accepted.NoDelay = true;
                    _ = onAccepted(new NetworkStream(accepted, ownsSocket: true));
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    accepted.Dispose(); // reset by the peer before we took it
                }
            }
        }

        /// <summary>Errors that pass: out of descriptors or buffers, or a connection that went away while queued.</summary>
        private static bool IsPassing(SocketError error) => error is SocketError.TooManyOpenSockets
            or SocketError.NoBufferSpaceAvailable or SocketError.ConnectionAborted or SocketError.ConnectionReset
            or SocketError.Interrupted or SocketError.TryAgain or SocketError.WouldBlock or SocketError.ProtocolType
            or SocketError.NetworkDown or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.TimedOut;

        private async Task<bool> BackOffAsync(TimeSpan delay)
        {
            try
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private void Report(bool fatal, string message, Exception error)
        {
            try
            {
                _onError?.Invoke(new ListenerException(LocalAddress, fatal, message, error));
            }
            catch (Exception)
            {
                // A failing error handler must not stop the listener.
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
