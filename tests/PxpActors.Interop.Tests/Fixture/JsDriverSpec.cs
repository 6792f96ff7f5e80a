using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PxpActors.TestSupport.JsReference;
using Xunit;

namespace PxpActors.Interop.Tests.Fixture;

/// <summary>The JS reference fixture itself: JS exchanges talking to each other through the driver.</summary>
public sealed class JsDriverSpec
{
    private const string Network = "test";
    private static readonly JsonObject AcceptingConnectInfo = new() { ["pxp"] = true, ["relay"] = true, ["webrtc"] = true };

    [SkippableFact]
    public async Task Two_js_exchanges_must_carry_data_both_ways_over_tcp()
    {
        await using var driver = await JsDriver.StartAsync();
        var server = await driver.CreateExchangeAsync("server", Network);
        var client = await driver.CreateExchangeAsync("client", Network);
        var port = await server.ListenAsync();

        var clientSide = await client.ConnectAsync(port);
        var serverSide = await server.WaitForConnectionAsync();
        await clientSide.WriteTextAsync("ping from the client");
        await serverSide.WriteTextAsync("pong from the server");

        Assert.Equal("ping from the client", await serverSide.ReadTextAsync("ping from the client".Length));
        Assert.Equal("pong from the server", await clientSide.ReadTextAsync("pong from the server".Length));
        Assert.Equal("tcp", await clientSide.Peer!.TransportAsync());
        Assert.Single(await server.PeersAsync());

        var payload = new byte[64 * 1024];
        new Random(7).NextBytes(payload);
        await clientSide.WriteAsync(payload);
        Assert.Equal(payload, await serverSide.ReadExactlyAsync(payload.Length));

        await client.CloseAsync();
        await server.WaitForPeerCountAsync(0);
        await serverSide.WaitClosedAsync();
    }

    [SkippableFact]
    public async Task Raw_getpeers_must_return_the_hubs_other_peers_as_candidates()
    {
        await using var driver = await JsDriver.StartAsync();
        var hub = await driver.CreateExchangeAsync("hub", Network);
        var asker = await driver.CreateExchangeAsync("asker", Network);
        var other = await driver.CreateExchangeAsync("other", Network);
        var port = await hub.ListenAsync();
        var askerConnection = await asker.ConnectAsync(port);
        await other.ConnectAsync(port);
        await hub.WaitForPeerCountAsync(2);
        var hubAsSeenByAsker = askerConnection.Peer!;

        var raw = await hubAsSeenByAsker.RequestAsync("getpeers", JsonValue.Create(Network));

        var reply = Assert.IsType<JsonArray>(raw);
        Assert.Equal(2, reply.Count);
        Assert.Null(reply[0]);
        var candidate = Assert.Single(reply[1]!.AsArray())!;
        Assert.Matches(new Regex("^[0-9a-f]{8}$"), candidate["id"]!.GetValue<string>());
        Assert.Equal(Network, candidate["network"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(AcceptingConnectInfo, candidate["connectInfo"]));

        var typed = Assert.Single(await hubAsSeenByAsker.GetPeersAsync());
        Assert.NotEqual(candidate["id"]!.GetValue<string>(), typed.Id);
        Assert.True(JsonNode.DeepEquals(AcceptingConnectInfo, typed.ConnectInfo));
    }

    [SkippableFact]
    public async Task Raw_getpeers_for_an_unknown_network_must_get_the_reference_error_and_lose_the_peer()
    {
        await using var driver = await JsDriver.StartAsync();
        var hub = await driver.CreateExchangeAsync("hub", Network);
        var asker = await driver.CreateExchangeAsync("asker", Network);
        var askerConnection = await asker.ConnectAsync(await hub.ListenAsync());
        var hubAsSeenByAsker = askerConnection.Peer!;

        var raw = await hubAsSeenByAsker.RequestAsync("getpeers", JsonValue.Create("elsewhere"));

        Assert.True(JsonNode.DeepEquals(new JsonArray("Peer requested an unknown network:\"elsewhere\""), raw));
        await hubAsSeenByAsker.WaitDisconnectedAsync();
        await hub.WaitForPeerCountAsync(0);
    }

    [SkippableFact]
    public async Task GetNewPeer_in_a_three_node_js_chain_must_upgrade_to_webrtc()
    {
        await using var driver = await JsDriver.StartAsync();
        var hub = await driver.CreateExchangeAsync("hub", Network);
        var asker = await driver.CreateExchangeAsync("asker", Network);
        var target = await driver.CreateExchangeAsync("target", Network);
        var port = await hub.ListenAsync();
        await asker.ConnectAsync(port);
        await target.ConnectAsync(port);
        await hub.WaitForPeerCountAsync(2);

        var askerSide = await asker.GetNewPeerAsync(TimeSpan.FromSeconds(60));
        var targetSide = await target.WaitForConnectionOverAsync("webrtc", TimeSpan.FromSeconds(30));

        Assert.Equal("webrtc", await askerSide.Peer!.TransportAsync());
        await askerSide.WriteTextAsync("over the data channel");
        await targetSide.WriteTextAsync("and back again");
        Assert.Equal("over the data channel", await targetSide.ReadTextAsync("over the data channel".Length));
        Assert.Equal("and back again", await askerSide.ReadTextAsync("and back again".Length));
    }

    [SkippableFact]
    public async Task A_js_node_must_report_bad_magic_as_a_peer_error_and_hang_up()
    {
        await using var driver = await JsDriver.StartAsync();
        var node = await driver.CreateExchangeAsync("node", Network);
        await using var capture = await driver.CaptureConnectAsync(await node.ListenAsync());

        await capture.WriteAsync("#XYZ#garbage"u8.ToArray());

        var error = await driver.Events.WaitForAsync(
            e => e.Kind == "peerError" && e.Exchange == node.Name, JsDriver.DefaultTimeout, "the bad magic error");
        Assert.Equal("Invalid magic value, peer not using PXP", error.Message);
        await capture.WaitClosedAsync();
    }

    [SkippableFact]
    public async Task The_driver_must_report_the_reference_crash_on_a_candidate_with_null_connectInfo()
    {
        var driver = await JsDriver.StartAsync();
        await using (driver)
        {
            var hub = await driver.CreateExchangeAsync("hub", Network);
            var asker = await driver.CreateExchangeAsync("asker", Network);
            var closed = await driver.CreateExchangeAsync("closed", Network, new JsExchangeOptions { AllowIncoming = false });
            Assert.Null(closed.ConnectInfo);
            var port = await hub.ListenAsync();
            await asker.ConnectAsync(port);
            await closed.ConnectAsync(port);
            await hub.WaitForPeerCountAsync(2);

            // The reference reads candidate.connectInfo.pxp and throws; its callback never runs.
            var neverAnswered = asker.GetNewPeerAsync(TimeSpan.FromSeconds(60));
            var crash = await driver.Events.WaitForAsync(
                e => e.Kind == "uncaughtException", JsDriver.DefaultTimeout, "the reference to crash");

            Assert.Contains("reading 'pxp'", crash.Message);
            await driver.DisposeAsync();
            var failure = await Assert.ThrowsAsync<JsReferenceException>(() => neverAnswered);
            Assert.Contains("exited", failure.Message);
        }
    }

    [SkippableFact]
    public async Task GetNewPeer_must_relay_to_a_function_candidate_without_upgrading()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var service = await driver.CaptureListenAsync();
        var hub = await driver.CreateExchangeAsync(
            "hub", Network, new JsExchangeOptions { FunctionCandidates = [new JsFunctionCandidate("127.0.0.1", service.Port!.Value)] });
        var asker = await driver.CreateExchangeAsync("asker", Network);
        var hubConnection = await asker.ConnectAsync(await hub.ListenAsync());
        var hubAsSeenByAsker = hubConnection.Peer!;
        var offered = Assert.Single(await hubAsSeenByAsker.GetPeersAsync());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["relay"] = true, ["pxp"] = false }, offered.ConnectInfo));

        var relayed = await asker.GetNewPeerAsync();
        await service.WaitAcceptedAsync();
        await relayed.WriteTextAsync("raw bytes, no PXP");
        await service.WriteAsync("answer"u8.ToArray());

        Assert.Null(relayed.Peer);
        Assert.Equal("raw bytes, no PXP"u8.ToArray(), await service.ReadExactlyAsync("raw bytes, no PXP".Length));
        Assert.Equal("answer", await relayed.ReadTextAsync("answer".Length));
    }

    [SkippableFact]
    public async Task Bare_js_peers_must_handshake_on_any_shared_network_and_connect_on_it()
    {
        await using var driver = await JsDriver.StartAsync();
        var listeners = driver.BarePeers("listeners", ["test", "shared"], AcceptingConnectInfo);
        var dialers = driver.BarePeers("dialers", ["shared", "mine"]);
        var dialer = await dialers.ConnectAsync(await listeners.ListenAsync());

        var ready = await dialer.WaitReadyAsync();
        Assert.True(JsonNode.DeepEquals(new JsonArray("test", "shared"), ready.Body["remoteNetworks"]));
        Assert.True(JsonNode.DeepEquals(AcceptingConnectInfo, ready.Body["remoteConnectInfo"]));

        var refused = await Assert.ThrowsAsync<JsReferenceException>(() => dialer.ConnectAsync("test"));
        Assert.Equal("Peer tried to connect for unsupported network \"test\"", refused.ReferenceError);

        var dialerSide = await dialer.ConnectAsync("shared");
        var listenerSide = await listeners.WaitForConnectionAsync();
        await dialerSide.WriteTextAsync("on the shared network");
        Assert.Equal("on the shared network", await listenerSide.ReadTextAsync("on the shared network".Length));

        await dialers.CloseAsync();
        await driver.Events.WaitForAsync(
            e => e.Kind == "peerDisconnect" && e.Exchange == listeners.Name, JsDriver.DefaultTimeout, "the listener's peer to go");
    }
}
