using System.Net;
using System.Net.Sockets;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// A plain .NET TCP socket facing one of our nodes: the test writes raw bytes and reads exactly what
/// the node wrote. A read that times out reports the bytes that did arrive, so a wrong length shows.
/// </summary>
internal sealed class RawSocket : IAsyncDisposable
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;

    private RawSocket(Socket socket)
    {
        socket.NoDelay = true;
        _socket = socket;
    }

    public static async Task<RawSocket> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new RawSocket(socket);
    }

    /// <summary>Accepts the one connection a node makes to <paramref name="listener"/>.</summary>
    public static async Task<RawSocket> AcceptAsync(TcpListener listener)
    {
        using var cts = new CancellationTokenSource(ReadTimeout);
        return new RawSocket(await listener.AcceptSocketAsync(cts.Token));
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        var sent = 0;
        while (sent < bytes.Length) sent += await _socket.SendAsync(bytes[sent..]);
    }

    public async Task<byte[]> ReadExactlyAsync(int count, TimeSpan? timeout = null)
    {
        var buffer = new byte[count];
        var read = 0;
        using var cts = new CancellationTokenSource(timeout ?? ReadTimeout);
        try
        {
            while (read < count)
            {
                var n = await _socket.ReceiveAsync(buffer.AsMemory(read), cts.Token);
                if (n == 0)
                    throw new IOException($"The node closed the socket after {read} of {count} bytes: {Convert.ToHexString(buffer, 0, read)}");
                read += n;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Only {read} of {count} bytes arrived: {Convert.ToHexString(buffer, 0, read)}");
        }
        return buffer;
    }

    /// <summary>Completes when the node closes its side; returns whatever it still wrote before that.</summary>
    public async Task<byte[]> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ReadTimeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await _socket.ReceiveAsync(buffer, cts.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The node did not close the socket; it wrote {Convert.ToHexString(received.ToArray())}");
        }
        return received.ToArray();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
