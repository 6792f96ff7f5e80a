using System.Net.Sockets;
using Akka.Configuration;
using PxpActors.Actors;
using PxpActors.Tests.BadInput;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.WebSocketSessions;

/// <summary>
/// The node's resource budget at a WebSocket listener's door: connections past max-connections, past the per-address
/// limit, or past the pending handshakes are cut before they upgrade, and a slot freed is taken again.
/// </summary>
[Collection(nameof(SocketCounting))]
public sealed class WebSocketBudgetSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("max-connections = 2")]
    [InlineData("max-pending-handshakes = 2")]
    [InlineData("max-connections-per-address = 2, exempt-loopback = off")]
    public async Task A_connection_past_a_limit_must_be_cut_before_it_upgrades_and_a_freed_slot_taken_again(string limit)
    {
        var config = ConfigurationFactory.ParseString($"pxp.limits {{ {limit} }}");
        await using var node = await TestNode.StartAsync(options: new PeerExchangeOptions { Config = config },
            listen: new Uri("ws://127.0.0.1:0/"));
        var stats = await node.StatsAsync();
        var refusedBefore = stats.Resources.Refusals.Values.Sum();

        // Two connections that never send their HTTP upgrade hold two slots; the third is cut at once.
        using var first = await ConnectAsync(node.Address);
        using var second = await ConnectAsync(node.Address);
        // Accepted connections are admitted concurrently: the third must come after the node holds the first two.
        await node.WaitForStatsAsync(s => s.Resources.Sockets >= 2, "both connections held");
        await AssertCutAsync(node.Address);
        await node.WaitForStatsAsync(s => s.Resources.Refusals.Values.Sum() > refusedBefore, "the refusal counted");

        // A slot freed: a node gets its session.
        first.Dispose();
        await using var peer = new PeerExchange("test");
        var connection = await ConnectWhenAdmittedAsync(peer, node.Address);
        Assert.Equal("ws", connection.Transport);
        Assert.True(second.Connected);
    }

    private static async Task<TcpClient> ConnectAsync(Uri address)
    {
        var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        return client;
    }

    /// <summary>A new connection is closed by the node before it says anything (it may be reset while connecting).</summary>
    private static async Task AssertCutAsync(Uri address)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address.Host, address.Port);
            Assert.Equal(0, await client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(Timeout));
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Reset: cut too.
        }
    }

    /// <summary>The node hears of a freed slot when the closed connection reaches it: try until it has.</summary>
    private static async Task<PxpConnection> ConnectWhenAdmittedAsync(PeerExchange peer, Uri address)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return await peer.ConnectAsync(address);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Yield();
            }
        }
    }
}
