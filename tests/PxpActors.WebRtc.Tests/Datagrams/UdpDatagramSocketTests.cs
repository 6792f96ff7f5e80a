using System.Net;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.Datagrams;

public sealed class UdpDatagramSocketTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sockets_must_exchange_datagrams_and_report_the_sender()
    {
        await using var a = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.NotEqual(0, a.LocalEndPoint.Port);

        await a.SendToAsync(new byte[] { 1, 2, 3 }, b.LocalEndPoint);
        var buffer = new byte[16];
        var received = await b.ReceiveFromAsync(buffer).AsTask().WaitAsync(Wait);

        Assert.Equal(3, received.Length);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..3]);
        Assert.Equal(a.LocalEndPoint, received.RemoteEndPoint);
    }

    [Fact]
    public async Task A_datagram_larger_than_the_receive_buffer_must_be_skipped_and_the_next_one_received()
    {
        await using var a = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // ICE receives into a buffer the size of the largest DTLS record: anything bigger is no WebRTC datagram.
        await a.SendToAsync(new byte[PxpActors.WebRtc.Ice.IceAgent.ReceiveBufferBytes + 1], b.LocalEndPoint);
        await a.SendToAsync(new byte[] { 7 }, b.LocalEndPoint);
        var buffer = new byte[PxpActors.WebRtc.Ice.IceAgent.ReceiveBufferBytes];
        var received = await b.ReceiveFromAsync(buffer).AsTask().WaitAsync(Wait);

        Assert.Equal(1, received.Length);
        Assert.Equal(7, buffer[0]);
    }

    [Fact]
    public async Task Sockets_must_ask_for_a_receive_buffer_that_absorbs_a_burst()
    {
        using var plain = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
            System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        await using var socket = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.True(socket.ReceiveBufferSize >= plain.ReceiveBufferSize, "never smaller than the platform's default");
        // Where the kernel lets us (Linux: net.core.rmem_max), we get at least what we asked for.
        const string Limit = "/proc/sys/net/core/rmem_max";
        if (File.Exists(Limit) && int.Parse(File.ReadAllText(Limit).Trim()) >= UdpDatagramSocket.ReceiveBufferBytes)
            Assert.True(socket.ReceiveBufferSize >= UdpDatagramSocket.ReceiveBufferBytes, $"granted {socket.ReceiveBufferSize} bytes");
    }

    [Fact]
    public async Task Sockets_must_hold_a_burst_of_200_full_size_datagrams_nobody_reads_yet()
    {
        await using var sender = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var receiver = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        const string Limit = "/proc/sys/net/core/rmem_max";
        if (!File.Exists(Limit) || int.Parse(File.ReadAllText(Limit).Trim()) < UdpDatagramSocket.ReceiveBufferBytes)
            return; // the platform caps the buffer below what a 200-datagram burst needs: nothing of ours to check

        const int Burst = 200; // Linux's default buffer holds about 90 of these
        for (var i = 0; i < Burst; i++)
        {
            var datagram = new byte[1200];
            datagram[0] = (byte)i;
            await sender.SendToAsync(datagram, receiver.LocalEndPoint);
        }
        var buffer = new byte[1500];
        for (var i = 0; i < Burst; i++)
        {
            var received = await receiver.ReceiveFromAsync(buffer).AsTask().WaitAsync(Wait);
            Assert.Equal(1200, received.Length);
            Assert.Equal((byte)i, buffer[0]);
        }
    }

    [Fact]
    public async Task Dispose_must_end_a_pending_receive_with_the_closed_exception()
    {
        var socket = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var pending = socket.ReceiveFromAsync(new byte[16]).AsTask();
        await socket.DisposeAsync();

        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => pending.WaitAsync(Wait));
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => socket.SendToAsync(new byte[] { 1 }, new IPEndPoint(IPAddress.Loopback, 9)).AsTask());
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => socket.ReceiveFromAsync(new byte[16]).AsTask());
        Assert.True(socket.IsClosed);
        await socket.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task Dispose_must_end_the_receive_thread_whether_a_receive_waits_or_not()
    {
        await using var sender = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var idle = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var waiting = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var unused = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        await sender.SendToAsync(new byte[] { 1 }, idle.LocalEndPoint);
        Assert.Equal(1, (await idle.ReceiveFromAsync(new byte[16]).AsTask().WaitAsync(Wait)).Length); // thread started, now idle
        var pending = waiting.ReceiveFromAsync(new byte[16]).AsTask(); // thread started, polling
        Assert.True(idle.IsReceiveThreadAlive);
        Assert.True(waiting.IsReceiveThreadAlive);

        await idle.DisposeAsync();
        await waiting.DisposeAsync();
        await unused.DisposeAsync();

        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => pending.WaitAsync(Wait));
        Assert.True(idle.JoinReceiveThread(Wait), "the idle socket's receive thread must end");
        Assert.True(waiting.JoinReceiveThread(Wait), "the receive thread must end with its receive");
        Assert.False(unused.IsReceiveThreadAlive); // never received: no thread was started
    }

    [Fact]
    public async Task A_receive_must_complete_on_the_receive_thread_and_a_continuation_may_receive_again()
    {
        await using var a = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[16];
        var first = b.ReceiveFromAsync(buffer).AsTask();
        var threads = new List<string?>();
        var lengths = new List<int>();
        var done = first.ContinueWith(async t =>
        {
            threads.Add(Thread.CurrentThread.Name);
            lengths.Add(t.Result.Length);
            lengths.Add((await b.ReceiveFromAsync(buffer)).Length);
        }, TaskContinuationOptions.ExecuteSynchronously).Unwrap();
        await a.SendToAsync(new byte[] { 1 }, b.LocalEndPoint); // only now: the continuation is in place before the receive completes
        await a.SendToAsync(new byte[] { 2, 2 }, b.LocalEndPoint);
        await done.WaitAsync(Wait);
        Assert.Equal(["udp-receive"], threads);
        Assert.Equal([1, 2], lengths);
    }

    [Fact]
    public async Task Dispose_must_release_the_port()
    {
        var socket = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endPoint = socket.LocalEndPoint;
        await socket.DisposeAsync();
        await using var again = UdpDatagramSocket.Bind(endPoint);
        Assert.Equal(endPoint, again.LocalEndPoint);
    }

    [Fact]
    public async Task Cancelling_a_receive_must_not_close_the_socket()
    {
        await using var a = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using (var cancel = new CancellationTokenSource())
        {
            var pending = b.ReceiveFromAsync(new byte[16], cancel.Token).AsTask();
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Wait));
        }
        await a.SendToAsync(new byte[] { 9 }, b.LocalEndPoint);
        var received = await b.ReceiveFromAsync(new byte[16]).AsTask().WaitAsync(Wait);
        Assert.Equal(1, received.Length);
    }

    [Fact]
    public async Task Sending_to_a_closed_port_must_not_be_an_error()
    {
        await using var a = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var gone = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = gone.LocalEndPoint;
        await gone.DisposeAsync();
        await a.SendToAsync(new byte[] { 1 }, target);
        await a.SendToAsync(new byte[] { 2 }, target);

        // The ICMP "port unreachable" must not break later receives either.
        await using var b = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await b.SendToAsync(new byte[] { 3 }, a.LocalEndPoint);
        var received = await a.ReceiveFromAsync(new byte[16]).AsTask().WaitAsync(Wait);
        Assert.Equal(1, received.Length);
    }

    [Theory]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("::1", true, true)]
    [InlineData("10.1.2.3", false, true)]
    [InlineData("169.254.1.1", false, false)]
    [InlineData("fe80::1", false, false)]
    [InlineData("2001:db8::1", false, true)]
    [InlineData("ff02::1", false, false)]
    public void UdpNetwork_must_offer_only_usable_addresses(string address, bool includeLoopback, bool usable) =>
        Assert.Equal(usable, UdpNetwork.IsUsable(IPAddress.Parse(address), includeLoopback));

    [Fact]
    public void UdpNetwork_must_list_loopback_only_when_asked()
    {
        Assert.Contains(IPAddress.Loopback, UdpNetwork.Instance.GetLocalAddresses(includeLoopback: true));
        Assert.DoesNotContain(UdpNetwork.Instance.GetLocalAddresses(includeLoopback: false), IPAddress.IsLoopback);
    }
}
