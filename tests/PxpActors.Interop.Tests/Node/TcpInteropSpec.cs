using System.Text.Json.Nodes;
using PxpActors.Actors;
using PxpActors.TestSupport.JsReference;
using Xunit;

namespace PxpActors.Interop.Tests.Node;

/// <summary>Our node and the JS reference over TCP, each in both roles: data, getpeers, disconnects.</summary>
[Collection(JsNodeCollection.Name)]
public sealed class TcpInteropSpec
{
    private const string Network = "test";
    private static readonly TimeSpan BigTransfer = TimeSpan.FromSeconds(60);
    private static readonly JsonObject AcceptingConnectInfo = new() { ["pxp"] = true, ["relay"] = true, ["webrtc"] = true };

    [SkippableFact]
    public async Task A_js_node_connecting_to_us_must_exchange_data_both_ways()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var node = await OurNode.StartAsync(Network);
        var js = await driver.CreateExchangeAsync("js", Network);

        var jsSide = await js.ConnectAsync(node.Port);
        var ours = await node.NextConnectionAsync();

        Assert.True(ours.Incoming);
        Assert.Equal("tcp", ours.Transport);
        Assert.Equal("tcp", await jsSide.Peer!.TransportAsync());
        await using var stream = ours.OpenStream();
        await ExchangeDataAsync(jsSide, stream);
    }

    [SkippableFact]
    public async Task Our_node_connecting_to_js_must_exchange_data_both_ways()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var node = await OurNode.StartAsync(Network, listen: false);
        var js = await driver.CreateExchangeAsync("js", Network);

        var ours = await node.Exchange.ConnectAsync(node.UriOf(await js.ListenAsync()));
        var jsSide = await js.WaitForConnectionAsync();

        Assert.False(ours.Incoming);
        Assert.Equal("tcp", ours.Transport);
        Assert.True(ours.Peer!.AcceptsIncoming);
        await using var stream = ours.OpenStream();
        await ExchangeDataAsync(jsSide, stream);
    }

    [SkippableFact]
    public async Task A_js_node_asking_us_getpeers_must_get_only_accepting_peers()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var hub = await OurNode.StartAsync(Network);
        var asker = await driver.CreateExchangeAsync("asker", Network);
        var accepting = await driver.CreateExchangeAsync("accepting", Network);
        var closed = await driver.CreateExchangeAsync("closed", Network, new JsExchangeOptions { AllowIncoming = false });
        var hubAsSeenByAsker = (await asker.ConnectAsync(hub.Port)).Peer!;
        await accepting.ConnectAsync(hub.Port);
        await closed.ConnectAsync(hub.Port);
        await hub.WaitForPeerCountAsync(3);

        var raw = await hubAsSeenByAsker.RequestAsync("getpeers", JsonValue.Create(Network));

        var reply = Assert.IsType<JsonArray>(raw);
        Assert.Equal(2, reply.Count);
        Assert.Null(reply[0]);
        var candidate = Assert.IsType<JsonObject>(Assert.Single(reply[1]!.AsArray()));
        Assert.Equal(["id", "network", "connectInfo"], candidate.Select(p => p.Key));
        Assert.Matches("^[0-9a-f]{8}$", candidate["id"]!.GetValue<string>());
        Assert.Equal(Network, candidate["network"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(AcceptingConnectInfo, candidate["connectInfo"]), candidate.ToJsonString());

        // The reference's own validation accepts it, and every call hands out a fresh id.
        var typed = Assert.Single(await hubAsSeenByAsker.GetPeersAsync());
        Assert.NotEqual(candidate["id"]!.GetValue<string>(), typed.Id);
        Assert.Matches("^[0-9a-f]{8}$", typed.Id);
        Assert.True(JsonNode.DeepEquals(AcceptingConnectInfo, typed.ConnectInfo));
        Assert.Empty(hub.PeerErrors);
    }

    [SkippableFact]
    public async Task Our_node_asking_a_js_hub_getpeers_must_get_its_other_peers()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var node = await OurNode.StartAsync(Network, listen: false);
        var jsHub = await driver.CreateExchangeAsync("hub", Network);
        var accepting = await driver.CreateExchangeAsync("accepting", Network);
        var closed = await driver.CreateExchangeAsync("closed", Network, new JsExchangeOptions { AllowIncoming = false });
        var port = await jsHub.ListenAsync();
        await accepting.ConnectAsync(port);
        await closed.ConnectAsync(port);
        var connection = await node.Exchange.ConnectAsync(node.UriOf(port));
        await jsHub.WaitForPeerCountAsync(3);

        var candidates = await node.Exchange.GetPeersAsync(connection.Peer!);

        // The reference offers every peer, a non-accepting one with connectInfo null: we must read both.
        Assert.Equal(2, candidates.Count);
        Assert.All(candidates, c =>
        {
            Assert.Matches("^[0-9a-f]{8}$", c.Id);
            Assert.Equal(Network, c.Network);
        });
        Assert.Single(candidates, c => c.ConnectInfo is { Pxp: true, Relay: true, WebRtc: true });
        Assert.Single(candidates, c => c.ConnectInfo is null);
    }

    [SkippableFact]
    public async Task A_js_node_closing_must_be_seen_by_us()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var node = await OurNode.StartAsync(Network);
        var js = await driver.CreateExchangeAsync("js", Network);
        await js.ConnectAsync(node.Port);
        var ours = await node.NextConnectionAsync();
        await using var stream = ours.OpenStream();

        await js.CloseAsync();

        var removed = await node.NextPeerRemovedAsync();
        Assert.Equal(ours.Peer!.Id, removed.Id);
        await node.WaitForPeerCountAsync(0);
        await stream.WaitForEndAsync(OurNode.Timeout);
    }

    [SkippableFact]
    public async Task A_js_socket_destroyed_must_be_seen_by_us()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var node = await OurNode.StartAsync(Network);
        var js = await driver.CreateExchangeAsync("js", Network);
        var jsSide = await js.ConnectAsync(node.Port);
        await node.WaitForPeerCountAsync(1);

        await jsSide.Peer!.DestroySocketAsync();

        await node.NextPeerRemovedAsync();
        await node.WaitForPeerCountAsync(0);
    }

    [SkippableFact]
    public async Task Our_node_closing_must_be_seen_by_js_on_both_ends_of_tcp()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var node = await OurNode.StartAsync(Network);
        var incoming = await driver.CreateExchangeAsync("dials-us", Network);
        var outgoing = await driver.CreateExchangeAsync("we-dial", Network);
        var dialsUs = await incoming.ConnectAsync(node.Port);
        await node.Exchange.ConnectAsync(node.UriOf(await outgoing.ListenAsync()));
        var weDial = await outgoing.WaitForConnectionAsync();
        await node.WaitForPeerCountAsync(2);

        await node.Exchange.CloseAsync();

        await dialsUs.Peer!.WaitDisconnectedAsync();
        await weDial.Peer!.WaitDisconnectedAsync();
        await incoming.WaitForPeerCountAsync(0);
        await outgoing.WaitForPeerCountAsync(0);
        await dialsUs.WaitClosedAsync();
        await weDial.WaitClosedAsync();
        Assert.DoesNotContain(driver.Events.Snapshot(), e => e.Kind is "peerError" or "uncaughtException");
    }

    /// <summary>A short text each way, then 1 MiB each way at once, compared by checksum.</summary>
    private static async Task ExchangeDataAsync(JsConnection js, Stream ours)
    {
        await js.WriteTextAsync("hello from js");
        await ours.WriteAsync("hello from .NET"u8.ToArray());
        Assert.Equal("hello from js"u8.ToArray(), await ours.ReadExactlyAsync("hello from js".Length, OurNode.Timeout));
        Assert.Equal("hello from .NET", await js.ReadTextAsync("hello from .NET".Length));

        var fromJs = Payloads.Random(Payloads.OneMiB, seed: 1);
        var fromUs = Payloads.Random(Payloads.OneMiB, seed: 2);
        var jsWrites = js.WriteAsync(fromJs);
        var ourWrites = ours.WriteAsync(fromUs).AsTask();
        var weReceived = ours.ReadExactlyAsync(fromJs.Length, BigTransfer);
        var jsReceived = js.ReadExactlyAsync(fromUs.Length, BigTransfer);
        await Task.WhenAll(jsWrites, ourWrites, weReceived, jsReceived);

        Assert.Equal(Payloads.Checksum(fromJs), Payloads.Checksum(await weReceived));
        Assert.Equal(Payloads.Checksum(fromUs), Payloads.Checksum(await jsReceived));
    }
}
