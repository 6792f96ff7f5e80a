using PxpActors.TestSupport.JsReference;
using Xunit;
using Xunit.Abstractions;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// Our node as the hub between two JS nodes: their getNewPeer relays through us and upgrades to WebRTC
/// (the JS peers bring @roamhq/wrtc; we only relay bytes), and both keep their sessions with us after.
/// </summary>
[Collection(JsNodeCollection.Name)]
public sealed class OurHubSpec(ITestOutputHelper output)
{
    private const string Network = "test";
    private static readonly TimeSpan Upgrade = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task GetNewPeer_of_js_through_our_hub_must_upgrade_to_webrtc_and_keep_both_sessions()
    {
        await using var driver = await JsDriver.StartAsync(debug: "pxp,peer-exchange");
        await using var hub = await OurNode.StartAsync(Network);
        var a = await driver.CreateExchangeAsync("a", Network);
        var b = await driver.CreateExchangeAsync("b", Network);
        var hubAsSeenByA = (await a.ConnectAsync(hub.Port)).Peer!;
        var hubAsSeenByB = (await b.ConnectAsync(hub.Port)).Peer!;
        await hub.WaitForPeerCountAsync(2);
        var hubPeersBefore = hub.Exchange.Peers.Select(p => p.Id).Order().ToArray();

        var aSide = await a.GetNewPeerAsync(Upgrade);
        var bSide = await b.WaitForConnectionOverAsync("webrtc", Upgrade);

        Assert.Equal("webrtc", await aSide.Peer!.TransportAsync());
        await aSide.WriteTextAsync("from a over webrtc");
        await bSide.WriteTextAsync("from b over webrtc");
        Assert.Equal("from a over webrtc", await bSide.ReadTextAsync("from a over webrtc".Length));
        Assert.Equal("from b over webrtc", await aSide.ReadTextAsync("from b over webrtc".Length));
        var payload = Payloads.Random(64 * 1024, seed: 3);
        await aSide.WriteAsync(payload);
        Assert.Equal(Payloads.Checksum(payload), Payloads.Checksum(await bSide.ReadExactlyAsync(payload.Length, Upgrade)));

        // Upgraded, each JS node closes its relayed session: end and then reset frames on its relay
        // channel to us. Wait until both did, so everything below happens after those frames.
        var relayedSessions = driver.Events.Snapshot()
            .Where(e => e.Kind == "peerCreated" && e.Body["transport"]?.GetValue<string>() == "relay")
            .Select(e => new JsPeer(driver, e.Exchange!, e.Peer!.Value))
            .ToList();
        Assert.Equal(["a", "b"], relayedSessions.Select(p => p.Exchange).Order());
        foreach (var relayed in relayedSessions) await relayed.WaitDisconnectedAsync(Upgrade);

        try
        {
            await AssertBothSessionsAliveAsync(driver, hub, hubAsSeenByA, hubAsSeenByB, hubPeersBefore);
        }
        catch (Exception)
        {
            output.WriteLine($"our session errors: {string.Join("; ", hub.PeerErrors.Select(e => $"{e.Peer?.Id}: {e.Error}"))}");
            output.WriteLine($"JS events:\n{driver.Events.Tail(80)}");
            output.WriteLine($"JS stderr:\n{driver.StderrTail}");
            throw;
        }
    }

    private static async Task AssertBothSessionsAliveAsync(
        JsDriver driver, OurNode hub, JsPeer hubAsSeenByA, JsPeer hubAsSeenByB, string[] hubPeersBefore)
    {
        // Neither JS node dropped us: each still answers our getpeers over the same TCP session, offering
        // the other (now over WebRTC). A session the reset had killed could not answer.
        Assert.Equal(hubPeersBefore, hub.Exchange.Peers.Select(p => p.Id).Order().ToArray());
        foreach (var peer in hub.Exchange.Peers)
        {
            var candidate = Assert.Single(await hub.Exchange.GetPeersAsync(peer));
            Assert.True(candidate.ConnectInfo is { Pxp: true }, $"candidate from {peer.Id}: {candidate}");
        }

        // And we did not drop them: they still get candidates from us.
        Assert.Single(await hubAsSeenByA.GetPeersAsync());
        Assert.Single(await hubAsSeenByB.GetPeersAsync());
        Assert.DoesNotContain(driver.Events.Snapshot(), e =>
            e.Kind is "peerDisconnect" or "peerError" && (e.Peer == hubAsSeenByA.Id || e.Peer == hubAsSeenByB.Id));
        Assert.Empty(hub.PeerErrors);
    }
}
