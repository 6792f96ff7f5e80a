using System.Net.Sockets;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;

namespace PxpActors.Bench.Topologies;

/// <summary>
/// Many idle PXP peers at almost no cost to this process: each is a socket that sends, in one write,
/// exactly the bytes a reference peer sends to open a session and its application connection (magic,
/// "pxp" open, hello, connect), waits for the hub's reply to its connect, then stays silent. The hub
/// under test cannot tell them from real peers, and the same swarm serves our hub and the JS one, so
/// only the hub differs. Waiting for the reply keeps at most <see cref="InFlight"/> sessions opening
/// at once: a flood would leave sessions waiting past the hub's handshake timeout.
/// </summary>
public sealed class BarePeerSwarm(Uri hub, string network) : IAsyncDisposable
{
    private const int InFlight = 64;
    private const int MaxOpeningReplyBytes = 4096;
    private static readonly byte[] ConnectReply = "[\"res\",\"1\","u8.ToArray();
    private readonly byte[] _opening = OpeningBytes(network);
    private readonly List<Socket> _sockets = [];

    public int Count
    {
        get
        {
            lock (_sockets) return _sockets.Count;
        }
    }

    /// <summary>Opens <paramref name="count"/> more peers (the hub's replies are left unread in the socket buffers).</summary>
    public async Task AddAsync(int count, CancellationToken cancellationToken)
    {
        var remaining = count;
        async Task Worker()
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                lock (_sockets) _sockets.Add(socket);
                await socket.ConnectAsync(hub.Host, hub.Port, cancellationToken).ConfigureAwait(false);
                await socket.SendAsync(_opening, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                await AwaitConnectReplyAsync(socket, cancellationToken).ConfigureAwait(false);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(InFlight, count)).Select(_ => Worker())).ConfigureAwait(false);
    }

    /// <summary>Reads the hub's first bytes until they hold the reply to our connect (nonce "1").</summary>
    private static async Task AwaitConnectReplyAsync(Socket socket, CancellationToken cancellationToken)
    {
        var received = new byte[MaxOpeningReplyBytes];
        var length = 0;
        while (received.AsSpan(0, length).IndexOf(ConnectReply) < 0)
        {
            if (length == received.Length)
                throw new InvalidOperationException($"The hub sent {length} bytes without answering connect");
            var n = await socket.ReceiveAsync(received.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
                throw new InvalidOperationException("The hub closed the session before answering connect: " +
                    System.Text.Encoding.UTF8.GetString(received, 0, length));
            length += n;
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets) socket.Dispose();
            _sockets.Clear();
        }
        return ValueTask.CompletedTask;
    }

    private static byte[] OpeningBytes(string network)
    {
        var rpc = "pxp"u8.ToArray();
        Frame[] frames =
        [
            new(0, FrameType.Open, rpc),
            new(0, FrameType.DataFromCreator, RpcCodec.Encode(new Hello("0", Hello.CurrentVersion, ConnectInfo.Accepting, [network]))),
            new(0, FrameType.DataFromCreator, RpcCodec.Encode(new Connect("1", network))),
        ];
        return [.. PxpMagic.Bytes, .. frames.SelectMany(f => f.ToArray())];
    }
}
