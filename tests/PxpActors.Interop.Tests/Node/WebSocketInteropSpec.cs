using System.Text.Json.Nodes;
using Akka.Configuration;
using PxpActors.Actors;
using PxpActors.TestSupport.JsReference;
using PxpActors.TestSupport.Tls;
using Xunit;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// Our node and the JS reference over its WebSocket transport, websocket-stream@3, ws:// and wss:// (a certificate the
/// test makes), each side dialing and serving; a relay through our WebSocket hub; certificates that are not trusted.
/// </summary>
[Collection(JsNodeCollection.Name)]
public sealed class WebSocketInteropSpec
{
    private const string Network = "test";
    private static readonly TimeSpan BigTransfer = TimeSpan.FromSeconds(60);
    private static readonly JsonObject AcceptingConnectInfo = new() { ["pxp"] = true, ["relay"] = true, ["webrtc"] = true };

    [SkippableTheory]
    [InlineData("ws")]
    [InlineData("wss")]
    public async Task A_js_node_connecting_to_us_over_websocket_must_exchange_data_both_ways(string scheme)
    {
        using var certificate = TestCertificate.Create();
        await using var driver = await JsDriver.StartAsync();
        await using var node = await OurNode.StartAsync(Network, Tls(certificate), at: new Uri($"{scheme}://127.0.0.1:0/pxp"));
        var js = await driver.CreateExchangeAsync("js", Network);

        var jsSide = await js.WebSocketConnectAsync(node.Address!, scheme == "wss" ? certificate.CertificateFile : null);
        var ours = await node.NextConnectionAsync();

        Assert.True(ours.Incoming);
        Assert.Equal("ws", ours.Transport);
        Assert.Equal("ws", await jsSide.Peer!.TransportAsync());
        await using var stream = ours.OpenStream();
        await ExchangeDataAsync(jsSide, stream);
        Assert.Empty(node.PeerErrors);
    }

    [SkippableTheory]
    [InlineData("ws")]
    [InlineData("wss")]
    public async Task Our_node_connecting_to_a_js_node_serving_websocket_must_exchange_data_both_ways(string scheme)
    {
        using var certificate = TestCertificate.Create();
        await using var driver = await JsDriver.StartAsync();
        await using var node = await OurNode.StartAsync(Network, Tls(certificate), listen: false);
        var js = await driver.CreateExchangeAsync("js", Network);
        var port = scheme == "wss"
            ? await js.WebSocketListenAsync(certificate.CertificateFile, certificate.KeyFile)
            : await js.WebSocketListenAsync();

        var ours = await node.Exchange.ConnectAsync(new Uri($"{scheme}://127.0.0.1:{port}"));
        var jsSide = await js.WaitForConnectionAsync();

        Assert.False(ours.Incoming);
        Assert.Equal("ws", ours.Transport);
        Assert.True(ours.Peer!.AcceptsIncoming);
        Assert.Equal("ws", await jsSide.Peer!.TransportAsync());
        await using var stream = ours.OpenStream();
        await ExchangeDataAsync(jsSide, stream);
    }

    [SkippableFact]
    public async Task A_js_node_must_relay_to_another_through_our_websocket_hub()
    {
        await using var driver = await JsDriver.StartAsync();
        await using var hub = await OurNode.StartAsync(Network, at: new Uri("ws://127.0.0.1:0/"));
        var group = driver.BarePeers("bare", [Network], AcceptingConnectInfo);
        var asker = await group.ConnectAsync(hub.Address!);
        var target = await group.ConnectAsync(hub.Address!);
        await asker.WaitReadyAsync();
        await target.WaitReadyAsync();
        await hub.WaitForPeerCountAsync(2);
        Assert.All(hub.Exchange.Peers, p => Assert.Equal("ws", p.Transport));

        var candidate = Assert.Single(await asker.GetPeersAsync(Network));
        var relayed = await asker.RelayAsync(candidate.Id);
        var incoming = await driver.Events.WaitForAsync(
            e => e.Kind == "incomingRelay" && e.Peer == target.Id, JsDriver.DefaultTimeout, "the relay to reach the target");
        var targetSide = driver.ConnectionFrom(await driver.Events.WaitForAsync(
            e => e.Kind == "connection" && e.Conn == incoming.Conn, JsDriver.DefaultTimeout, "the target's relayed connection"));

        await relayed.WriteTextAsync("through the ws hub");
        Assert.Equal("through the ws hub", await targetSide.ReadTextAsync("through the ws hub".Length));
        var back = Payloads.Random(20_000, seed: 7); // the hub throttles relays to 50 kB/s
        await targetSide.WriteAsync(back);
        Assert.Equal(Payloads.Checksum(back), Payloads.Checksum(await relayed.ReadExactlyAsync(back.Length, BigTransfer)));
        Assert.Empty(hub.PeerErrors);
    }

    [SkippableFact]
    public async Task Our_node_must_relay_through_a_js_hub_it_reached_over_websocket()
    {
        await using var driver = await JsDriver.StartAsync();
        var jsHub = await driver.CreateExchangeAsync("hub", Network);
        var port = await jsHub.WebSocketListenAsync();
        await using var a = await OurNode.StartAsync(Network, listen: false);
        await using var b = await OurNode.StartAsync(Network, listen: false);
        var hubFromA = (await a.Exchange.ConnectAsync(new Uri($"ws://127.0.0.1:{port}"))).Peer!;
        await b.Exchange.ConnectAsync(new Uri($"ws://127.0.0.1:{port}"));
        await jsHub.WaitForPeerCountAsync(2);

        var candidate = Assert.Single(await a.Exchange.GetPeersAsync(hubFromA));
        var relayed = await a.Exchange.RelayAsync(hubFromA, candidate);
        var overRelay = await a.Exchange.ConnectAsync(relayed);
        var bSide = await b.NextConnectionAsync(c => c.Peer?.Relayed == true);

        await using var aStream = overRelay.OpenStream();
        await using var bStream = bSide.OpenStream();
        await aStream.WriteAsync("from a through the ws hub"u8.ToArray());
        await bStream.WriteAsync("from b through the ws hub"u8.ToArray());
        Assert.Equal("from a through the ws hub"u8.ToArray(), await bStream.ReadExactlyAsync(25, OurNode.Timeout));
        Assert.Equal("from b through the ws hub"u8.ToArray(), await aStream.ReadExactlyAsync(25, OurNode.Timeout));
        Assert.Empty(a.PeerErrors);
        Assert.Empty(b.PeerErrors);
    }

    [SkippableFact]
    public async Task Certificates_that_are_not_trusted_must_be_refused_both_ways_with_a_clear_error()
    {
        using var certificate = TestCertificate.Create();
        await using var driver = await JsDriver.StartAsync();
        var js = await driver.CreateExchangeAsync("js", Network);
        var jsPort = await js.WebSocketListenAsync(certificate.CertificateFile, certificate.KeyFile);

        // We trust only the system's certificates: the JS node's self-signed one is refused.
        await using var node = await OurNode.StartAsync(Network, listen: false);
        var error = await Assert.ThrowsAsync<IOException>(() => node.Exchange.ConnectAsync(new Uri($"wss://127.0.0.1:{jsPort}")));
        Assert.Contains("the server's TLS certificate is not trusted", error.Message);
        Assert.Empty(node.Exchange.Peers);

        // And a JS node that does not trust ours refuses it too; our node carries on.
        await using var server = await OurNode.StartAsync(Network, Tls(certificate), at: new Uri("wss://127.0.0.1:0/"));
        var refused = await Assert.ThrowsAsync<JsReferenceException>(() => js.WebSocketConnectAsync(server.Address!));
        Assert.Contains("self-signed certificate", refused.Message);
        Assert.Empty(server.Exchange.Peers);
        var trusted = await js.WebSocketConnectAsync(server.Address!, certificate.CertificateFile);
        Assert.Equal("ws", await trusted.Peer!.TransportAsync());
    }

    private static PeerExchangeOptions Tls(TestCertificate certificate) =>
        new() { Config = ConfigurationFactory.ParseString(certificate.Hocon) };

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
