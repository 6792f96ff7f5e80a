using System.Text;
using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Facade;

/// <summary>The README's "Use it" snippet, run as written (the bootstrap address pointed at a live peer).</summary>
public sealed class ReadmeUseItSpec
{
    // The snippet of README.md, line for line; README_snippet_must_be_the_one_this_spec_runs keeps the two the same.
    private const string Snippet = """
        await using var exchange = new PeerExchange("my-network");
        exchange.Connected += incoming => { /* peers that connected to us: incoming.Flow or incoming.OpenStream() */ };

        var address = await exchange.ListenAsync(new Uri("tcp://127.0.0.1:0"));       // accept peers
        var connection = await exchange.ConnectAsync(new Uri("tcp://10.0.0.7:7000")); // or bootstrap from one
        await using var stream = connection.OpenStream();                             // the application's duplex stream

        var candidates = await exchange.GetPeersAsync(exchange.Peers[0]);             // ask a peer for candidates
        var direct = await exchange.GetNewPeerAsync();  // a stranger, reached over WebRTC with the peer as the only signal relay
        Console.WriteLine($"connected to node {direct.Peer!.NodeId} over {direct.Transport}"); // "webrtc"
        """;

    [Fact]
    public void README_snippet_must_be_the_one_this_spec_runs()
    {
        var readme = RepositoryFiles.ReadAllText("README.md");
        var section = readme[readme.IndexOf("## Use it", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var block = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Equal(Snippet.Trim(), block.Trim());
    }

    [Fact]
    public async Task README_snippet_must_run_with_one_owner_for_each_connection()
    {
        await using var bootstrap = await TestNode.StartAsync("my-network");
        await using var stranger = await TestNode.StartAsync("my-network");
        await stranger.Exchange.AddPeerAsync(bootstrap.Address);
        var raisedHere = 0;
        var printed = new StringWriter();

        // ---- the snippet, with the bootstrap peer's address ----
        await using var exchange = new PeerExchange("my-network");
        exchange.Connected += incoming => { Interlocked.Increment(ref raisedHere); };

        var address = await exchange.ListenAsync(new Uri("tcp://127.0.0.1:0"));
        var connection = await exchange.ConnectAsync(bootstrap.Address);
        await using var stream = connection.OpenStream();

        var candidates = await exchange.GetPeersAsync(exchange.Peers[0]);
        var direct = await exchange.GetNewPeerAsync();
        printed.WriteLine($"connected to node {direct.Peer!.NodeId} over {direct.Transport}");
        // ---- end of the snippet ----

        Assert.NotEqual(0, address.Port);
        Assert.Equal(stranger.Exchange.NodeId, Assert.Single(candidates).ConnectInfo!.NodeId); // the bootstrap peer knows the stranger
        Assert.Equal($"connected to node {stranger.Exchange.NodeId} over webrtc", printed.ToString().Trim());
        await using var atBootstrap = (await bootstrap.NextConnectionAsync(c => c.Peer?.NodeId == exchange.NodeId)).OpenStream();
        await stream.WriteAsync("ping"u8.ToArray());
        Assert.Equal("ping", Encoding.UTF8.GetString(await atBootstrap.ReadExactlyAsync(4)));
        await atBootstrap.WriteAsync("pong"u8.ToArray());
        Assert.Equal("pong", Encoding.UTF8.GetString(await stream.ReadExactlyAsync(4)));
        Assert.Equal(0, raisedHere); // ConnectAsync's connection is the caller's, not the event's
    }

    [Fact]
    public async Task AddPeerAsync_must_hand_its_connection_to_Connected_only()
    {
        await using var bootstrap = await TestNode.StartAsync("net");
        await using var node = await TestNode.StartAsync("net");

        var peer = await node.Exchange.AddPeerAsync(bootstrap.Address);

        var connection = await node.NextConnectionAsync();
        Assert.Same(peer, connection.Peer);
        Assert.False(connection.Incoming);
        await using var stream = connection.OpenStream();
        await using var atBootstrap = (await bootstrap.NextConnectionAsync()).OpenStream();
        await stream.WriteAsync("x"u8.ToArray());
        Assert.Equal("x", Encoding.UTF8.GetString(await atBootstrap.ReadExactlyAsync(1)));
    }
}
