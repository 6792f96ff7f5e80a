using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using PxpActors.Diagnostics;
using PxpActors.Transports.WebSocket;
using PxpActors.Carriers;

namespace PxpActors.Tests.WebSocketSessions;

/// <summary>
/// The frame sender a WebSocket session's writers send through, on a real WebSocket over loopback TCP, the far end read
/// message by message: frames gathered into binary messages, whole, within the sender's bound, the bytes intact; a
/// send the peer does not take fails in time and cuts the connection. Also the stream's zero-byte read, which the
/// transport stage waits with so that an idle WebSocket holds no read buffer.
/// </summary>
public sealed class WebSocketFrameWriterSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    // The sender's bound on one send (SharedFrameWriter): 256 KiB of payload, plus the frames' headers.
    private const int MaxMessagePayload = 256 * 1024;
    private const int MaxSlack = 64; // a last frame may be this much larger than the frame size rather than split
    private const int MaxHeaders = 8 * 2 * 5; // at most 8 frames a send, two varints each
    private const uint Channel = 5;

    private TcpListener _listener = null!;
    private Socket _serverSocket = null!;
    private System.Net.WebSockets.WebSocket _far = null!;
    private WebSocketConnectionStream _near = null!;

    public async Task InitializeAsync()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = _listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)_listener.LocalEndpoint);
        _serverSocket = await accepting.WaitAsync(Timeout);
        // The WebSocket protocol on both ends of a real connection; the upgrade itself is the listener's (tested elsewhere).
        var near = System.Net.WebSockets.WebSocket.CreateFromStream(new NetworkStream(client, ownsSocket: true),
            new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        _far = System.Net.WebSockets.WebSocket.CreateFromStream(new NetworkStream(_serverSocket, ownsSocket: true),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        _near = new WebSocketConnectionStream(near, maxMessageSize: 2 * 1024 * 1024, remoteEndPoint: null);
    }

    public async Task DisposeAsync()
    {
        await _near.DisposeAsync();
        _far.Dispose();
        _listener.Stop();
    }

    [Fact]
    public async Task A_large_write_must_arrive_intact_in_messages_of_whole_frames_within_the_bound()
    {
        var sender = new WebSocketFrameWriter(_near, Timeout, new TransportTraffic(null));
        var payload = new byte[1_000_000];
        Random.Shared.NextBytes(payload);
        // Buffers of uneven sizes: frames and messages cut across them.
        ArraySegment<byte>[] buffers = [new(payload, 0, 1), new(payload, 1, 70_000), new(payload, 70_001, payload.Length - 70_001)];

        var receiving = ReceiveMessagesAsync(payload.Length);
        await sender.SendDataAsync(Channel, buffers, maxFramePayload: 64 * 1024, channelClosed: () => false, CancellationToken.None)
            .AsTask().WaitAsync(Timeout);
        var messages = await receiving.WaitAsync(Timeout);

        Assert.True(messages.Count >= 4, $"1,000,000 bytes in {messages.Count} messages: more than the bound allows in one");
        var received = new MemoryStream();
        foreach (var message in messages)
        {
            Assert.True(message.Length <= MaxMessagePayload + MaxSlack + MaxHeaders, $"a message of {message.Length} bytes is past the bound");
            // Each message parses into whole frames on our channel: nothing cut across two messages.
            var frames = ParseFrames(message);
            Assert.NotEmpty(frames);
            foreach (var (header, body) in frames)
            {
                Assert.Equal(Channel << 3 | 2, header); // data on a channel we opened
                Assert.InRange(body.Length, 1, 64 * 1024 + 64);
                received.Write(body);
            }
        }
        Assert.Equal(payload, received.ToArray());
    }

    [Fact]
    public async Task Frames_the_stage_hands_over_must_go_as_one_message()
    {
        var sender = new WebSocketFrameWriter(_near, Timeout, new TransportTraffic(null));
        byte[] header = [0x12, 0x03];
        byte[] body = [1, 2, 3];
        var receiving = ReceiveMessagesAsync(header.Length + body.Length);
        await sender.SendHeldAsync([new(header), new(body)], CancellationToken.None).AsTask().WaitAsync(Timeout);

        var message = Assert.Single(await receiving.WaitAsync(Timeout));
        Assert.Equal([0x12, 0x03, 1, 2, 3], message);
    }

    [Fact]
    public async Task A_send_the_peer_does_not_take_must_fail_within_the_write_timeout_and_cut_the_connection()
    {
        var writeTimeout = TimeSpan.FromMilliseconds(300);
        var sender = new WebSocketFrameWriter(_near, writeTimeout, new TransportTraffic(null));
        // The far end never reads: far more than the sockets' buffers hold.
        var payload = new byte[64 * 1024 * 1024];

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            sender.SendDataAsync(Channel, [new(payload)], 64 * 1024, () => false, CancellationToken.None).AsTask().WaitAsync(Timeout));

        Assert.Contains("took no data", error.Message);
        // The WebSocket was aborted with the send: the far end sees the connection go rather than wait on it forever.
        var buffer = new byte[1024 * 1024];
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (true) await _far.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask().WaitAsync(Timeout);
        });
    }

    [Fact]
    public async Task An_idle_streams_zero_byte_read_must_wait_for_the_next_message_and_leave_its_bytes_to_the_read_after()
    {
        // The transport stage waits this way so that an idle WebSocket holds no read buffer.
        var waiting = _near.ReadAsync(Memory<byte>.Empty);
        Assert.False(waiting.IsCompleted, "a zero-byte read on an idle WebSocket returned at once");
        Assert.False(_near.MessageUnderway);

        await _far.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Equal(0, await waiting.AsTask().WaitAsync(Timeout));
        Assert.True(_near.MessageUnderway);
        var buffer = new byte[16];
        Assert.Equal(3, await _near.ReadAsync(buffer).AsTask().WaitAsync(Timeout));
        Assert.Equal([1, 2, 3], buffer[..3]);
        Assert.False(_near.MessageUnderway);

        // After the peer's close, reads (zero-byte or not) say the stream ended, again and again.
        await _far.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal(0, await _near.ReadAsync(Memory<byte>.Empty).AsTask().WaitAsync(Timeout));
        Assert.Equal(0, await _near.ReadAsync(buffer).AsTask().WaitAsync(Timeout));
        Assert.False(_near.MessageUnderway);
    }

    /// <summary>The far end's binary messages, each whole, until <paramref name="total"/> bytes have come.</summary>
    private async Task<List<byte[]>> ReceiveMessagesAsync(int total)
    {
        var messages = new List<byte[]>();
        var buffer = new byte[4 * 1024 * 1024];
        var received = 0;
        while (received < total)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _far.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            messages.Add(buffer.AsSpan(0, length).ToArray());
            received += length;
        }
        return messages;
    }

    /// <summary>PXP frames: a varint header, a varint length, the payload; fails on a frame cut short.</summary>
    private static List<(uint Header, byte[] Body)> ParseFrames(byte[] message)
    {
        var frames = new List<(uint, byte[])>();
        var at = 0;
        while (at < message.Length)
        {
            var header = ReadVarint(message, ref at);
            var length = (int)ReadVarint(message, ref at);
            Assert.True(at + length <= message.Length, "a frame runs past the end of its message");
            frames.Add((header, message.AsSpan(at, length).ToArray()));
            at += length;
        }
        return frames;
    }

    private static uint ReadVarint(byte[] bytes, ref int at)
    {
        uint value = 0;
        for (var shift = 0; ; shift += 7)
        {
            Assert.True(at < bytes.Length, "a varint runs past the end of its message");
            var b = bytes[at++];
            value |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }
}
