using System.Text;
using System.Text.Json.Nodes;
using PxpActors.TestSupport.JsReference;
using Xunit;

namespace PxpActors.Interop.Tests.Fixture;

/// <summary>The golden-bytes capture returns exactly what a JS node writes (PROTOCOL.md section 6).</summary>
public sealed class JsGoldenBytesSpec
{
    private const string Network = "test";
    private const string Hello = "[\"hello\",\"0\",[1,{\"pxp\":true,\"relay\":true,\"webrtc\":true},[\"test\"]]]\n";

    [SkippableFact]
    public async Task Session_start_must_be_magic_then_open_pxp_then_hello()
    {
        await using var driver = await JsDriver.StartAsync();

        var bytes = await JsGoldenBytes.SessionStartAsync(driver, Network);

        byte[] expected = [0x23, 0x50, 0x58, 0x50, 0x23, 0x00, 0x03, .. "pxp"u8, 0x02, 0x43, .. Encoding.UTF8.GetBytes(Hello)];
        Assert.Equal(0x43, Encoding.UTF8.GetByteCount(Hello));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(bytes));
    }

    [SkippableFact]
    public async Task Replies_of_an_accepting_node_must_be_cut_at_each_answer()
    {
        await using var driver = await JsDriver.StartAsync();

        var session = await JsGoldenBytes.FromAcceptingNodeAsync(driver, Network,
        [
            new GoldenRequest(HandBuiltFrames.SessionStart(Network), 0),
            new GoldenRequest(HandBuiltFrames.RpcLine("[\"getpeers\",\"1\",\"test\"]"), 1),
            new GoldenRequest(HandBuiltFrames.RpcLine("[\"connect\",\"2\",\"test\"]"), 1),
        ]);

        Assert.Empty(session.Replies[0]);
        Assert.Equal(
            Convert.ToHexString(HandBuiltFrames.RpcLine("[\"res\",\"1\",[null,[]]]")),
            Convert.ToHexString(session.Replies[1]));
        Assert.Equal(
            Convert.ToHexString(HandBuiltFrames.RpcLine("[\"res\",\"2\",null]")),
            Convert.ToHexString(session.Replies[2]));
    }

    [SkippableFact]
    public async Task A_connecting_node_must_send_connect_after_our_hello()
    {
        await using var driver = await JsDriver.StartAsync();

        var session = await JsGoldenBytes.FromConnectingNodeAsync(driver, Network,
            [new GoldenRequest(HandBuiltFrames.SessionStart(Network), 1)]);

        Assert.Equal(Convert.ToHexString(HandBuiltFrames.SessionStart(Network)), Convert.ToHexString(session.SessionStart));
        Assert.Equal(
            Convert.ToHexString(HandBuiltFrames.RpcLine("[\"connect\",\"1\",\"test\"]")),
            Convert.ToHexString(session.Replies[0]));
    }

    [SkippableFact]
    public async Task Getpeers_and_relay_requests_of_a_connecting_node_must_be_captured()
    {
        await using var driver = await JsDriver.StartAsync();
        var node = await driver.CreateExchangeAsync("node", Network);
        await using var capture = await driver.CaptureListenAsync();
        var peer = await node.StartConnectAsync(capture.Port!.Value);
        await capture.WaitAcceptedAsync();
        await capture.ReadSessionStartAsync();
        await capture.WriteAsync(HandBuiltFrames.SessionStart(Network));
        Assert.Equal(HandBuiltFrames.RpcLine("[\"connect\",\"1\",\"test\"]"), await capture.ReadRpcMessagesAsync());
        await capture.WriteAsync(HandBuiltFrames.RpcLine("[\"res\",\"1\",null]"));

        var candidates = peer.GetPeersAsync();
        Assert.Equal(HandBuiltFrames.RpcLine("[\"getpeers\",\"2\",\"test\"]"), await capture.ReadRpcMessagesAsync());
        await capture.WriteAsync(HandBuiltFrames.RpcLine(
            "[\"res\",\"2\",[null,[{\"id\":\"0a1b2c3d\",\"network\":\"test\",\"connectInfo\":null}]]]"));
        var candidate = Assert.Single(await candidates);
        Assert.Equal(new JsCandidate("0a1b2c3d", Network, null), candidate);

        var relay = peer.RelayAsync(candidate.Id);
        Assert.Equal(HandBuiltFrames.RpcLine("[\"relay\",\"3\",[\"0a1b2c3d\"]]"), await capture.ReadRpcMessagesAsync());
        await capture.WriteAsync(HandBuiltFrames.RpcLine("[\"res\",\"3\",null]"));
        var relayed = await relay;

        // The relay substream is the node's third channel (pxp 0, data:test 1), opened lazily on first write.
        await relayed.WriteTextAsync("through");
        byte[] expected = [.. HandBuiltFrames.Frame(2, 0, "relay:0a1b2c3d"u8.ToArray()), .. HandBuiltFrames.Frame(2, 2, "through"u8.ToArray())];
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(await capture.ReadExactlyAsync(expected.Length)));
    }

    [SkippableFact]
    public async Task A_js_hubs_relay_reply_must_be_captured_before_the_relayed_session_bytes()
    {
        await using var driver = await JsDriver.StartAsync();
        var hub = await driver.CreateExchangeAsync("hub", Network);
        var target = await driver.CreateExchangeAsync("target", Network);
        var port = await hub.ListenAsync();
        await target.ConnectAsync(port);
        await using var capture = await driver.CaptureConnectAsync(port);
        await capture.ReadSessionStartAsync();
        await capture.WriteAsync(HandBuiltFrames.SessionStart(Network));
        await hub.WaitForPeerCountAsync(2);

        await capture.WriteAsync(HandBuiltFrames.RpcLine("[\"getpeers\",\"1\",\"test\"]"));
        var answer = JsonNode.Parse(HandBuiltFrames.PayloadOf(await capture.ReadRpcMessagesAsync()))!;
        var candidateId = answer[2]![1]![0]!["id"]!.GetValue<string>();
        await capture.WriteAsync(HandBuiltFrames.RpcLine($"[\"relay\",\"2\",[\"{candidateId}\"]]"));

        Assert.Equal(HandBuiltFrames.RpcLine("[\"res\",\"2\",null]"), await capture.ReadRpcMessagesAsync());
        // Then the target's nested session arrives through the hub: the open of relay:<id> and its magic.
        byte[] open = HandBuiltFrames.Frame(1, 0, Encoding.UTF8.GetBytes("relay:" + candidateId));
        Assert.Equal(Convert.ToHexString(open), Convert.ToHexString(await capture.ReadExactlyAsync(open.Length)));
        byte[] magic = HandBuiltFrames.Frame(1, 2, HandBuiltFrames.Magic);
        Assert.Equal(Convert.ToHexString(magic), Convert.ToHexString(await capture.ReadExactlyAsync(magic.Length)));
    }
}
