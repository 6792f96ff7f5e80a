using System.Net;
using System.Net.Sockets;

namespace PxpActors.WebRtc.Datagrams;

/// <summary>
/// <see cref="IDatagramSocket"/> over a real UDP socket. Datagrams are received by a thread of the socket's own
/// (<see cref="UdpReceiveThread"/>), which runs the receiver's continuation itself.
/// </summary>
public sealed class UdpDatagramSocket : IDatagramSocket
{
    /// <summary>
    /// Kernel receive buffer we ask for. Linux's default (about 208 KiB) holds only some 90 datagrams of 1200 bytes
    /// once the kernel's per-packet overhead is counted, so a peer's burst arriving while our receive loop waits for
    /// a core is partly dropped, and each loss costs the sender a fast retransmit and half its window. The kernel
    /// caps the request at its own limit (net.core.rmem_max); the memory is only used while datagrams wait.
    /// </summary>
    internal const int ReceiveBufferBytes = 1 << 20;

    private readonly Socket _socket;
    private readonly UdpReceiveThread _receiver;
    private int _disposed;

    private UdpDatagramSocket(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _receiver = new UdpReceiveThread(socket, () => IsClosed);
    }

    /// <summary>The address and port bound.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>True once disposed (the OS socket is closed).</summary>
    public bool IsClosed => Volatile.Read(ref _disposed) != 0;

    /// <summary>A UDP socket bound to <paramref name="localEndPoint"/> (port 0: any free port).</summary>
    public static UdpDatagramSocket Bind(IPEndPoint localEndPoint)
    {
        var socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (localEndPoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
            TryEnlargeReceiveBuffer(socket);
            socket.Bind(localEndPoint);
            return new UdpDatagramSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The socket's receive buffer as the kernel granted it (for tests).</summary>
    internal int ReceiveBufferSize => _socket.ReceiveBufferSize;

    private static void TryEnlargeReceiveBuffer(Socket socket)
    {
        try
        {
            if (socket.ReceiveBufferSize < ReceiveBufferBytes) socket.ReceiveBufferSize = ReceiveBufferBytes;
        }
        catch (SocketException)
        {
            // A platform refusing the size keeps its default: a smaller buffer only means more loss under load.
        }
    }

    /// <summary>Sends one datagram to <paramref name="remote"/>.</summary>
    public async ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken = default)
    {
        if (IsClosed) throw new DatagramConnectionClosedException("The UDP socket is closed.");
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException e)
        {
            throw new DatagramConnectionClosedException("The UDP socket is closed.", e);
        }
        catch (SocketException)
        {
            // UDP is unreliable by contract: an unreachable or refused destination is a lost datagram.
        }
    }

    /// <summary>Receives the next datagram into <paramref name="buffer"/>, with where it came from.</summary>
    public ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (IsClosed) throw new DatagramConnectionClosedException("The UDP socket is closed.");
        return _receiver.ReceiveAsync(buffer, cancellationToken);
    }

    /// <summary>For tests: the socket's receive thread is running.</summary>
    internal bool IsReceiveThreadAlive => _receiver.IsThreadAlive;

    /// <summary>For tests: waits until the receive thread has ended (true when it has, or never started).</summary>
    internal bool JoinReceiveThread(TimeSpan timeout) => _receiver.Join(timeout);

    /// <summary>Closes the socket; a pending receive ends.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _receiver.Close(); // fails a waiting receive, wakes the receive thread, which ends
            _socket.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
