using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using PxpActors.Resources;
using PxpActors.Transports;
using PxpActors.Transports.Tcp;

namespace PxpActors.Tests.SocketSessions;

/// <summary>The TCP accept loop over a real listening socket, with the failures of a node under attack put in its way.</summary>
public sealed class AcceptingListenerSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Listener_must_back_off_and_keep_accepting_after_passing_errors()
    {
        using var socket = Listening(out var address);
        var failuresLeft = 3;
        ValueTask<Socket> Accept(CancellationToken token) => Interlocked.Decrement(ref failuresLeft) >= 0
            ? ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets))
            : socket.AcceptAsync(token);
        var accepted = Channel.CreateUnbounded<Stream>();
        var errors = Channel.CreateUnbounded<ListenerException>();
        await using var listener = new AcceptingListener(address, Accept, socket, new SocketGate(int.MaxValue),
            stream => accepted.Writer.WriteAsync(stream).AsTask(), e => errors.Writer.TryWrite(e));

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var stream = await accepted.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        var reported = new List<ListenerException>();
        while (errors.Reader.TryRead(out var error)) reported.Add(error);
        Assert.Equal(3, reported.Count);
        Assert.All(reported, e => Assert.False(e.Fatal));
        Assert.Equal(["10 ms", "20 ms", "40 ms"], reported.Select(e => e.Message[(e.Message.LastIndexOf("in ", StringComparison.Ordinal) + 3)..]));
    }

    [Fact]
    public async Task Listener_must_report_an_error_of_its_own_socket_as_fatal_and_stop()
    {
        using var socket = Listening(out var address);
        var errors = Channel.CreateUnbounded<ListenerException>();
        var calls = 0;
        ValueTask<Socket> Accept(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromException<Socket>(new SocketException((int)SocketError.InvalidArgument));
        }
        await using var listener = new AcceptingListener(address, Accept, socket, new SocketGate(int.MaxValue),
            _ => Task.CompletedTask, e => errors.Writer.TryWrite(e));

        var error = await errors.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.True(error.Fatal);
        Assert.StartsWith($"Listener on {address}: stopped accepting", error.Message);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Listener_must_close_a_connection_past_the_socket_cap_at_once_and_take_one_again_when_a_slot_frees()
    {
        using var socket = Listening(out var address);
        var gate = new SocketGate(cap: 1);
        var accepted = Channel.CreateUnbounded<Stream>();
        await using var listener = new AcceptingListener(address, socket.AcceptAsync, socket, gate,
            stream => accepted.Writer.WriteAsync(stream).AsTask(), null);

        using var first = new TcpClient();
        await first.ConnectAsync(IPAddress.Loopback, address.Port);
        var firstAtNode = await accepted.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        using var second = new TcpClient();
        await second.ConnectAsync(IPAddress.Loopback, address.Port);
        Assert.Equal(0, await second.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(Timeout)); // closed by the node
        Assert.Equal(1, gate.Refused);

        await firstAtNode.DisposeAsync();
        Assert.Equal(0, gate.Open);
        using var third = new TcpClient();
        await third.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var thirdAtNode = await accepted.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(1, gate.Open);
    }

    private static Socket Listening(out Uri address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        address = new Uri($"tcp://127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}");
        return socket;
    }
}
