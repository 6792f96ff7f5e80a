using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Akka.Configuration;
using PxpActors.Tests.BadInput;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.WebSocketSessions;

/// <summary>
/// Bad input over WebSocket (a text message, an oversized one, garbage inside and below the messages), against a node
/// that also serves a healthy WebSocket peer: the bad connection alone is closed, the healthy peer's data is intact, and
/// the node's sessions and sockets return to where they were.
/// </summary>
[Collection(nameof(SocketCounting))]
public sealed class WebSocketBadInputSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private TestNode _node = null!;
    private PeerExchange _healthy = null!;
    private Stream _healthyAtNode = null!;
    private Stream _healthyAtPeer = null!;
    private int _socketsBefore;

    public async Task InitializeAsync()
    {
        var config = ConfigurationFactory.ParseString("pxp.websocket.max-message-size = 64 KiB");
        _node = await TestNode.StartAsync(options: new PeerExchangeOptions { Config = config }, listen: new Uri("ws://127.0.0.1:0/"));
        _healthy = new PeerExchange("test");
        _healthyAtPeer = (await _healthy.ConnectAsync(_node.Address)).OpenStream();
        _healthyAtNode = (await _node.NextConnectionAsync()).OpenStream();
        await _node.WaitForSessionsAsync(1);
        _socketsBefore = OpenSockets.Count();
    }

    public async Task DisposeAsync()
    {
        await _healthyAtPeer.DisposeAsync();
        await _healthyAtNode.DisposeAsync();
        await _healthy.DisposeAsync();
        await _node.DisposeAsync();
    }

    [Fact]
    public Task A_text_message_must_close_that_connection_only() =>
        AssertClosedAloneAsync(socket => socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, default));

    [Fact]
    public Task A_message_past_the_size_limit_must_close_that_connection_only() =>
        AssertClosedAloneAsync(async socket =>
        {
            var chunk = new byte[16 * 1024];
            for (var sent = 0; sent <= 64 * 1024; sent += chunk.Length)
                await socket.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: false, default);
        });

    [Fact]
    public Task Garbage_in_a_binary_message_must_close_that_connection_only() =>
        AssertClosedAloneAsync(socket => socket.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), WebSocketMessageType.Binary, true, default));

    [Fact]
    public async Task Garbage_below_the_messages_must_close_that_connection_only()
    {
        // A WebSocket handshake done by hand, then bytes that are no WebSocket frame (a client frame must be masked).
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(_node.Address.Host, _node.Address.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET / HTTP/1.1\r\nHost: 127.0.0.1:{_node.Address.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            var response = await ReadHeadAsync(stream);
            Assert.StartsWith("HTTP/1.1 101", response);
            await _node.WaitForSessionsAsync(2);

            await stream.WriteAsync(new byte[] { 0x82, 0x7e, 0xff, 0xff, 1, 2, 3, 4 }); // unmasked, and a length it never sends

            await ReadUntilClosedAsync(stream);
        }
        await AssertNodeBackToHealthyAloneAsync();
    }

    private async Task AssertClosedAloneAsync(Func<ClientWebSocket, Task> misbehave)
    {
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(_node.Address, default);
            await _node.WaitForSessionsAsync(2);
            try
            {
                await misbehave(socket);
            }
            catch (WebSocketException)
            {
                // Cut while it was still sending.
            }
            await WaitClosedByNodeAsync(socket);
        }
        await AssertNodeBackToHealthyAloneAsync();
    }

    private static async Task WaitClosedByNodeAsync(ClientWebSocket socket)
    {

        // The node ends the connection: a close frame or a cut, never another message.
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, deadline.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                // The node's magic and hello may come first: they are PXP, not an answer to the bad input.
            }
        }
        catch (WebSocketException)
        {
            // Cut without a close frame.
        }
    }

    private async Task AssertNodeBackToHealthyAloneAsync()
    {
        await _node.WaitForSessionsAsync(1);
        Assert.Single(_node.Exchange.Peers);
        await _healthyAtPeer.WriteAsync("still here"u8.ToArray());
        Assert.Equal("still here", Encoding.UTF8.GetString(await _healthyAtNode.ReadExactlyAsync(10, Timeout)));
        await _healthyAtNode.WriteAsync("and here"u8.ToArray());
        Assert.Equal("and here", Encoding.UTF8.GetString(await _healthyAtPeer.ReadExactlyAsync(8, Timeout)));
        await OpenSockets.WaitForCountAsync(_socketsBefore, Timeout);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        using var deadline = new CancellationTokenSource(Timeout);
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, deadline.Token) == 0) break;
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static async Task ReadUntilClosedAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            while (await stream.ReadAsync(buffer, deadline.Token) > 0)
            {
                // The node's magic and hello, then the end.
            }
        }
        catch (IOException)
        {
            // Reset: closed too.
        }
    }
}
