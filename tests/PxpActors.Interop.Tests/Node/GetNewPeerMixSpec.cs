using PxpActors.TestSupport.JsReference;
using Xunit;
using Xunit.Abstractions;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// getNewPeer in every mix of ours and the JS reference (with libwebrtc, @roamhq/wrtc) as hub H, asker A and candidate B:
/// A and B connect to H over TCP, A's getNewPeer ends on a WebRTC connection to B, and text flows both ways over it.
/// Where the asker or the candidate is ours, its relayed session closes and it keeps its session with the hub.
/// (Hub ours, both ends JS is <see cref="OurHubSpec"/>; all ours is in PxpActors.Tests.)
/// </summary>
[Collection(JsNodeCollection.Name)]
public sealed class GetNewPeerMixSpec(ITestOutputHelper output)
{
    private const string Network = "test";

    [SkippableFact]
    public Task Js_hub_must_carry_our_asker_to_our_candidate() => RunAsync(hub: "js", asker: "ours", candidate: "ours");

    [SkippableFact]
    public Task Js_hub_must_carry_our_offer_to_a_js_candidate_answering_with_libwebrtc() => RunAsync(hub: "js", asker: "ours", candidate: "js");

    [SkippableFact]
    public Task Js_hub_must_carry_a_libwebrtc_offer_from_a_js_asker_to_our_candidate() => RunAsync(hub: "js", asker: "js", candidate: "ours");

    [SkippableFact]
    public Task Our_hub_must_carry_our_asker_to_a_js_candidate() => RunAsync(hub: "ours", asker: "ours", candidate: "js");

    [SkippableFact]
    public Task Our_hub_must_carry_a_js_asker_to_our_candidate() => RunAsync(hub: "ours", asker: "js", candidate: "ours");

    [SkippableFact]
    public async Task Our_asker_must_skip_a_candidate_a_js_hub_offers_without_connectInfo_and_fail_clearly()
    {
        // The reference's hub offers every peer, also one that does not accept incoming (connectInfo null), on which the
        // reference's own getNewPeer crashes; ours skips it and says why.
        await using var driver = await JsDriver.StartAsync();
        var hub = await driver.CreateExchangeAsync("h", Network);
        var closed = await driver.CreateExchangeAsync("b", Network, new JsExchangeOptions { AllowIncoming = false });
        var port = await hub.ListenAsync();
        await closed.ConnectAsync(port);
        await using var a = await OurNode.StartAsync(Network);
        await a.Exchange.AddPeerAsync(a.UriOf(port));
        await hub.WaitForPeerCountAsync(2, TriangleNode.Upgrade);

        var error = await Assert.ThrowsAsync<PxpActors.Actors.PxpRequestException>(() => a.Exchange.GetNewPeerAsync());

        Assert.StartsWith("None of the 1 candidates the peer offered can be used", error.Message);
        Assert.Single(a.Exchange.Peers); // the hub's session carries on
    }

    private async Task RunAsync(string hub, string asker, string candidate)
    {
        await using var driver = await JsDriver.StartAsync(debug: "pxp,peer-exchange");
        var ours = new List<OurNode>();
        try
        {
            async Task<TriangleNode> Make(string kind, string name)
            {
                if (kind == "js") return new TriangleNode.Js(await driver.CreateExchangeAsync(name, Network));
                var node = await OurNode.StartAsync(Network);
                ours.Add(node);
                return new TriangleNode.Ours(node);
            }
            var h = await Make(hub, "h");
            var a = await Make(asker, "a");
            var b = await Make(candidate, "b");
            var hubPort = await h.ListenAsync();
            await a.ConnectToAsync(hubPort);
            await b.ConnectToAsync(hubPort);
            await h.WaitForPeerCountAsync(2);

            var aSide = await a.GetNewPeerAsync();
            var bSide = await b.NextWebRtcConnectionAsync();

            Assert.Equal("webrtc", aSide.Transport);
            Assert.Equal("webrtc", bSide.Transport);
            await aSide.WriteTextAsync("from a over webrtc");
            await bSide.WriteTextAsync("from b over webrtc");
            Assert.Equal("from a over webrtc", await bSide.ReadTextAsync("from a over webrtc".Length));
            Assert.Equal("from b over webrtc", await aSide.ReadTextAsync("from b over webrtc".Length));

            // Our ends: the relayed session is gone, the hub's session and the new one remain, and nothing failed.
            foreach (var end in new[] { a, b }.OfType<TriangleNode.Ours>())
            {
                await end.Node.WaitForPeerCountAsync(2);
                Assert.Equal(["tcp", "webrtc"], end.Node.Exchange.Peers.Select(p => p.Transport).Order());
                Assert.Empty(end.Node.PeerErrors);
            }
            if (h is TriangleNode.Ours ourHub)
            {
                await ourHub.Node.WaitForPeerCountAsync(2);
                Assert.All(ourHub.Node.Exchange.Peers, p => Assert.Equal("tcp", p.Transport));
            }
        }
        catch (Exception)
        {
            foreach (var node in ours)
                output.WriteLine($"our node {node.Exchange.NodeId} errors: {string.Join("; ", node.PeerErrors.Select(e => $"{e.Peer?.Id}: {e.Error.Message}"))}");
            output.WriteLine($"JS events:\n{driver.Events.Tail(80)}");
            output.WriteLine($"JS stderr:\n{driver.StderrTail}");
            throw;
        }
        finally
        {
            foreach (var node in ours) await node.DisposeAsync();
        }
    }
}
