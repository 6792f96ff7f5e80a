using System.Security.Cryptography;
using PxpActors.Tests.BadInput;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.WebSocketSessions;

/// <summary>
/// Application streams between two of our nodes over ws:// with the WebSocket fast path (writers sending their frames
/// straight onto the WebSocket, lent read buffers): large writes both ways at once arrive intact, and a writer stuck
/// on a peer that goes away fails rather than hangs, every socket closed. Runs alone: it counts the process's open sockets.
/// </summary>
[Collection(nameof(SocketCounting))]
public sealed class WebSocketAppStreamSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Large_writes_both_ways_at_once_must_arrive_intact_and_every_socket_close()
    {
        var socketsBefore = OpenSockets.Count();
        await using (var server = await TestNode.StartAsync(listen: new Uri("ws://127.0.0.1:0/pxp")))
        await using (var client = new PeerExchange("test"))
        {
            var outgoing = await client.ConnectAsync(server.Address);
            var incoming = await server.NextConnectionAsync();
            await using var atClient = outgoing.OpenStream();
            await using var atServer = incoming.OpenStream();
            var fromClient = RandomBytes(3_000_000);
            var fromServer = RandomBytes(2_000_000);

            // Writes of every size: one byte, under a frame, several frames, past the sender's bound on one message.
            var writes = Task.WhenAll(WriteInPiecesAsync(atClient, fromClient), WriteInPiecesAsync(atServer, fromServer));
            var atServerRead = atServer.ReadExactlyAsync(fromClient.Length, Timeout);
            var atClientRead = atClient.ReadExactlyAsync(fromServer.Length, Timeout);
            Assert.Equal(SHA256.HashData(fromClient), SHA256.HashData(await atServerRead));
            Assert.Equal(SHA256.HashData(fromServer), SHA256.HashData(await atClientRead));
            await writes.WaitAsync(Timeout);
        }
        await OpenSockets.WaitForCountAsync(socketsBefore, Timeout);
    }

    [Fact]
    public async Task A_writer_blocked_on_a_peer_that_goes_away_must_fail_and_its_sockets_close()
    {
        var socketsBefore = OpenSockets.Count();
        await using (var client = await TestNode.StartAsync())
        {
            var server = await TestNode.StartAsync(listen: new Uri("ws://127.0.0.1:0/pxp"));
            var outgoing = await client.Exchange.ConnectAsync(server.Address);
            await server.NextConnectionAsync(); // the server's end is never read: the writer soon waits on the WebSocket
            await using var atClient = outgoing.OpenStream();
            var chunk = new byte[1024 * 1024];
            var writing = Task.Run(async () =>
            {
                for (var i = 0; i < 1024; i++) await atClient.WriteAsync(chunk);
            });
            await server.WaitForSessionsAsync(1);
            await server.DisposeAsync();

            await Assert.ThrowsAnyAsync<IOException>(() => writing.WaitAsync(Timeout));
            await client.NextPeerRemovedAsync();
            await client.WaitForSessionsAsync(0);
        }
        await OpenSockets.WaitForCountAsync(socketsBefore, Timeout);
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task WriteInPiecesAsync(Stream stream, byte[] bytes)
    {
        int[] sizes = [1, 1000, 64 * 1024, 300 * 1024, 700 * 1024];
        for (int at = 0, i = 0; at < bytes.Length; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], bytes.Length - at);
            await stream.WriteAsync(bytes.AsMemory(at, size));
            at += size;
        }
    }
}
