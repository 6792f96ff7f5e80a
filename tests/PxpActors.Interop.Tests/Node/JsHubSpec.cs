using System.Net;
using System.Net.Sockets;
using PxpActors.Actors;
using PxpActors.TestSupport.JsReference;
using Xunit;

namespace PxpActors.Interop.Tests.Node;

/// <summary>A JS hub relaying for two of our nodes: the relay-only path and the function-candidate path.</summary>
[Collection(JsNodeCollection.Name)]
public sealed class JsHubSpec
{
    private const string Network = "test";

    [SkippableFact]
    public async Task A_js_hub_must_relay_a_session_between_two_of_our_nodes()
    {
        await using var driver = await JsDriver.StartAsync();
        var jsHub = await driver.CreateExchangeAsync("hub", Network);
        var port = await jsHub.ListenAsync();
        await using var a = await OurNode.StartAsync(Network, listen: false);
        await using var b = await OurNode.StartAsync(Network, listen: false);
        var hubFromA = (await a.Exchange.ConnectAsync(a.UriOf(port))).Peer!;
        await b.Exchange.ConnectAsync(b.UriOf(port));
        await jsHub.WaitForPeerCountAsync(2);

        var candidate = Assert.Single(await a.Exchange.GetPeersAsync(hubFromA));
        Assert.True(candidate.ConnectInfo is { Pxp: true }, candidate.ToString());
        var relayed = await a.Exchange.RelayAsync(hubFromA, candidate);

        Assert.Null(relayed.Peer);
        Assert.Equal("relay", relayed.Transport);
        // B took the relay as an incoming nested session; A runs an outgoing session over the raw relayed bytes.
        var overRelay = await a.Exchange.ConnectAsync(relayed.Flow, "relay");
        var relayedOnB = await b.NextPeerAddedAsync(p => p.Relayed);
        Assert.True(relayedOnB.Incoming);
        Assert.Equal("relay", relayedOnB.Transport);
        Assert.True(relayedOnB.AcceptsIncoming);
        var bSide = await b.NextConnectionAsync(c => c.Peer?.Relayed == true);
        Assert.True(bSide.Incoming);

        await using var aStream = overRelay.OpenStream();
        await using var bStream = bSide.OpenStream();
        await aStream.WriteAsync("from a through the js hub"u8.ToArray());
        await bStream.WriteAsync("from b through the js hub"u8.ToArray());
        Assert.Equal("from a through the js hub"u8.ToArray(), await bStream.ReadExactlyAsync(25, OurNode.Timeout));
        Assert.Equal("from b through the js hub"u8.ToArray(), await aStream.ReadExactlyAsync(25, OurNode.Timeout));
        // A few kB each way at once: the JS hub throttles relays to 50 kB/s.
        var fromA = Payloads.Random(20_000, seed: 4);
        var fromB = Payloads.Random(20_000, seed: 5);
        await Task.WhenAll(aStream.WriteAsync(fromA).AsTask(), bStream.WriteAsync(fromB).AsTask());
        Assert.Equal(Payloads.Checksum(fromA), Payloads.Checksum(await bStream.ReadExactlyAsync(fromA.Length, OurNode.Timeout)));
        Assert.Equal(Payloads.Checksum(fromB), Payloads.Checksum(await aStream.ReadExactlyAsync(fromB.Length, OurNode.Timeout)));
        Assert.Empty(a.PeerErrors);
        Assert.Empty(b.PeerErrors);
    }

    [SkippableFact]
    public async Task GetNewPeer_through_a_js_hub_must_connect_to_a_function_candidate()
    {
        await using var driver = await JsDriver.StartAsync();
        var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        try
        {
            var servicePort = ((IPEndPoint)service.LocalEndpoint).Port;
            var jsHub = await driver.CreateExchangeAsync("hub", Network,
                new JsExchangeOptions { FunctionCandidates = [new JsFunctionCandidate("127.0.0.1", servicePort)] });
            await using var a = await OurNode.StartAsync(Network, listen: false);
            var hubFromA = (await a.Exchange.ConnectAsync(a.UriOf(await jsHub.ListenAsync()))).Peer!;
            var offered = Assert.Single(await a.Exchange.GetPeersAsync(hubFromA));
            Assert.True(offered.ConnectInfo is { Pxp: false, Relay: true }, offered.ToString());

            var connection = await a.Exchange.GetNewPeerAsync();
            await using var serviceSide = await RawSocket.AcceptAsync(service);

            Assert.Null(connection.Peer);
            Assert.Equal("relay", connection.Transport);
            await using var stream = connection.OpenStream();
            await stream.WriteAsync("raw bytes, no PXP"u8.ToArray());
            Assert.Equal("raw bytes, no PXP"u8.ToArray(), await serviceSide.ReadExactlyAsync("raw bytes, no PXP".Length));
            await serviceSide.WriteAsync("answer from the service"u8.ToArray());
            Assert.Equal("answer from the service"u8.ToArray(), await stream.ReadExactlyAsync("answer from the service".Length, OurNode.Timeout));
        }
        finally
        {
            service.Stop();
        }
    }
}
