using PxpActors.Interop.Tests.Node;
using PxpActors.TestSupport.Browser;
using PxpActors.WebRtc.PeerConnections;
using Xunit;
using Xunit.Abstractions;

namespace PxpActors.Interop.Tests.Browser;

/// <summary>
/// The reference's own browser build (peer-exchange bundled with browserify, Chromium's built-in WebRTC through
/// simple-peer 6) in headless Chromium pages, meeting our nodes: over WebSocket to our hub, then getNewPeer upgrading to
/// WebRTC with the browser offering and answering, in both of Chromium's candidate modes: mDNS ".local" names (which our
/// ICE resolves) and plain addresses. Skipped with the reason where Chromium, node or npm is missing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserJoinSpec : IClassFixture<BrowserFixture>
{
    private readonly BrowserFixture _browsers;
    private readonly ITestOutputHelper _output;

    public BrowserJoinSpec(BrowserFixture browsers, ITestOutputHelper output)
    {
        _browsers = browsers;
        _output = output;
        browsers.BeginTest();
    }

    private const string Network = "test";
    private static readonly Uri AnyWebSocket = new("ws://127.0.0.1:0/");

    [SkippableFact]
    public async Task A_page_must_join_our_host_over_websocket_and_exchange_text_both_ways()
    {
        await using var host = await OurNode.StartAsync(Network, at: AnyWebSocket);
        await using var page = await _browsers.OpenNodeAsync(ChromiumMode.Mdns, Network);
        await Diagnose([host], [page], async () =>
        {
            var pageSide = await page.ConnectAsync(host.Address!);
            var ours = await host.NextConnectionAsync();

            Assert.True(ours.Incoming);
            Assert.Equal("ws", ours.Transport);
            Assert.Equal(["ws"], await page.PeerTransportsAsync());
            await using var stream = ours.OpenStream();
            await page.SendAsync(pageSide, "hello from chromium");
            Assert.Equal("hello from chromium"u8.ToArray(), await stream.ReadExactlyAsync(19, OurNode.Timeout));
            await stream.WriteAsync("hello from .net"u8.ToArray());
            await page.WaitForTextAsync(pageSide, "hello from .net");
            Assert.Empty(host.PeerErrors);
        });
    }

    [SkippableTheory]
    [InlineData(ChromiumMode.Mdns)]
    [InlineData(ChromiumMode.Plain)]
    public async Task A_page_getNewPeer_must_reach_our_node_through_our_hub_with_chromium_offering(ChromiumMode mode)
    {
        var names = new ResolvedNames();
        await using var hub = await OurNode.StartAsync(Network, at: AnyWebSocket);
        await using var b = await OurNode.StartAsync(Network, Options(mode, names), listen: false);
        await using var a = await _browsers.OpenNodeAsync(mode, Network);
        await Diagnose([hub, b], [a], async () =>
        {
            await b.Exchange.ConnectAsync(hub.Address!);
            await a.ConnectAsync(hub.Address!);
            await hub.WaitForPeerCountAsync(2);

            var started = System.Diagnostics.Stopwatch.StartNew();
            var aSide = await a.GetNewPeerAsync();
            _output.WriteLine($"getNewPeer from the page took {started.Elapsed.TotalMilliseconds:0} ms");
            var bSide = await b.NextConnectionAsync(c => c.Transport == "webrtc");

            Assert.True(bSide.Incoming);
            await using var stream = bSide.OpenStream();
            await a.SendAsync(aSide, "from the page over webrtc");
            Assert.Equal("from the page over webrtc"u8.ToArray(), await stream.ReadExactlyAsync(25, OurNode.Timeout));
            await stream.WriteAsync("from .net over webrtc"u8.ToArray());
            await a.WaitForTextAsync(aSide, "from .net over webrtc");

            // The relay through the hub closed; the hub keeps both WebSocket sessions, B its hub and the new one.
            await b.WaitForStatsAsync(s => s.Sessions == 2 && s.Resources.RelayedSessions == 0 && s.Resources.Upgrades == 0, "B: hub + webrtc");
            Assert.Equal(["webrtc", "ws"], b.Exchange.Peers.Select(p => p.Transport).Order());
            await hub.WaitForStatsAsync(s => s.Sessions == 2 && s.Resources.Relays == 0, "the hub: both ws sessions, no relay");
            Assert.All(hub.Exchange.Peers, p => Assert.Equal("ws", p.Transport));
            Assert.Equal(["webrtc", "ws"], (await a.PeerTransportsAsync()).Order()); // the reference never lists its relayed end
            await AssertCandidatesAsync(mode, names);
            Assert.Empty(hub.PeerErrors);
            Assert.Empty(b.PeerErrors);
        });
    }

    [SkippableTheory]
    [InlineData(ChromiumMode.Mdns)]
    [InlineData(ChromiumMode.Plain)]
    public async Task Our_getNewPeer_must_reach_a_page_through_our_hub_with_chromium_answering(ChromiumMode mode)
    {
        var names = new ResolvedNames();
        await using var hub = await OurNode.StartAsync(Network, at: AnyWebSocket);
        await using var a = await OurNode.StartAsync(Network, Options(mode, names), listen: false);
        await using var b = await _browsers.OpenNodeAsync(mode, Network);
        await Diagnose([hub, a], [b], async () =>
        {
            await b.ConnectAsync(hub.Address!);
            await a.Exchange.ConnectAsync(hub.Address!);
            await hub.WaitForPeerCountAsync(2);

            var started = System.Diagnostics.Stopwatch.StartNew();
            var aSide = await a.Exchange.GetNewPeerAsync();
            _output.WriteLine($"our getNewPeer took {started.Elapsed.TotalMilliseconds:0} ms");
            var bSide = (int)(await b.WaitForConnectAsync(e => (string?)e["transport"] == "webrtc", "the page's webrtc connection"))["conn"]!;

            Assert.Equal("webrtc", aSide.Transport);
            Assert.False(aSide.Incoming);
            await using var stream = aSide.OpenStream();
            await stream.WriteAsync("from .net over webrtc"u8.ToArray());
            await b.WaitForTextAsync(bSide, "from .net over webrtc");
            await b.SendAsync(bSide, "from the page over webrtc");
            Assert.Equal("from the page over webrtc"u8.ToArray(), await stream.ReadExactlyAsync(25, OurNode.Timeout));

            await a.WaitForStatsAsync(s => s.Sessions == 2 && s.Resources.RelayedSessions == 0 && s.Resources.Upgrades == 0, "A: hub + webrtc");
            await hub.WaitForStatsAsync(s => s.Sessions == 2 && s.Resources.Relays == 0, "the hub: both ws sessions, no relay");
            await AssertCandidatesAsync(mode, names);
            Assert.Empty(hub.PeerErrors);
            Assert.Empty(a.PeerErrors);
        });
    }

    [SkippableFact]
    public async Task Two_pages_must_meet_through_our_hub()
    {
        await using var hub = await OurNode.StartAsync(Network, at: AnyWebSocket);
        await using var a = await _browsers.OpenNodeAsync(ChromiumMode.Mdns, Network);
        await using var b = await _browsers.OpenNodeAsync(ChromiumMode.Mdns, Network);
        await Diagnose([hub], [a, b], async () =>
        {
            await a.ConnectAsync(hub.Address!);
            await b.ConnectAsync(hub.Address!);
            await hub.WaitForPeerCountAsync(2);

            var aSide = await a.GetNewPeerAsync();
            var bSide = (int)(await b.WaitForConnectAsync(e => (string?)e["transport"] == "webrtc", "B's webrtc connection"))["conn"]!;
            await a.SendAsync(aSide, "from page a");
            await b.SendAsync(bSide, "from page b");
            await b.WaitForTextAsync(bSide, "from page a");
            await a.WaitForTextAsync(aSide, "from page b");

            await hub.WaitForStatsAsync(s => s.Sessions == 2 && s.Resources.Relays == 0, "the hub: both ws sessions, no relay");
            Assert.Empty(hub.PeerErrors);
        });
    }

    [SkippableFact]
    public async Task A_page_closing_mid_upgrade_must_leave_nothing_behind_in_our_nodes()
    {
        var webRtc = new RecordingWebRtcFactory();
        await using var hub = await OurNode.StartAsync(Network, at: AnyWebSocket);
        await using var b = await OurNode.StartAsync(Network, new PeerExchangeOptions { WebRtc = webRtc }, listen: false);
        var a = await _browsers.OpenNodeAsync(ChromiumMode.Mdns, Network);
        await Diagnose([hub, b], [a], async () =>
        {
            await b.Exchange.ConnectAsync(hub.Address!);
            await a.ConnectAsync(hub.Address!);
            await hub.WaitForPeerCountAsync(2);

            // The page offers; once B has made its peer connection for the answer, the page goes away.
            var asking = a.Page.EvaluateAsync("pxp.getNewPeer().then(() => 'connected', (err) => String(err))");
            await webRtc.FirstMade.WaitAsync(OurNode.Timeout);
            await a.DisposeAsync();
            _ = asking.ContinueWith(t => t.Exception, TaskScheduler.Default); // the page is gone: its promise never settles

            await b.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.RelayedSessions == 0 && s.Resources.Upgrades == 0
                && s.Resources.StandbyConnections == 1, "B: only its hub session, no upgrade left, a standby for the next offer");
            await webRtc.AllClosedButStandbyAsync(OurNode.Timeout);
            await hub.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.Relays == 0 && s.Resources.Connections == 1,
                "the hub: only B, no relay");
            Assert.Equal("ws", Assert.Single(b.Exchange.Peers).Transport);
            Assert.All(webRtc.Made.SkipLast(1), c => Assert.Equal(PeerConnectionState.Closed, c.State));
            Assert.Equal(PeerConnectionState.New, webRtc.Made[^1].State); // the standby, released when B closes
        });
    }

    private static PeerExchangeOptions Options(ChromiumMode mode, ResolvedNames names) => new()
    {
        // Plain mode: the page's candidates include loopback, and so do ours. mDNS mode: the page names its
        // addresses only, on the machine's non-loopback interfaces, where we gather by default.
        WebRtcOptions = new PeerConnectionOptions { IncludeLoopback = mode == ChromiumMode.Plain, ResolveHostName = names.ResolveAsync },
    };

    /// <summary>mDNS mode: Chromium sent ".local" names and our ICE resolved them; plain mode: no name needed resolving.</summary>
    private async Task AssertCandidatesAsync(ChromiumMode mode, ResolvedNames names)
    {
        if (mode == ChromiumMode.Plain)
        {
            Assert.Empty(names.Asked);
            return;
        }
        Assert.NotEmpty(names.Asked);
        try
        {
            // Our ICE gives a name 3 s (pxp's MdnsResolveTimeout); on a loaded machine Chromium, which answers a name
            // at most about once a second, may not answer in that window. The same resolver then asks again here, while
            // the page still holds its names, so the proof does not hang on one answer's timing.
            if (await Task.WhenAny(names.FirstFound, Task.Delay(TimeSpan.FromSeconds(10))) != names.FirstFound)
            {
                _output.WriteLine("no name resolved inside ICE in time: asking the resolver again");
                using var patience = new CancellationTokenSource(OurNode.Timeout);
                var asking = names.Asked.Distinct().Select(async name =>
                {
                    try
                    {
                        await names.ResolveAsync(name, patience.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // This name got no answer in time; another may have.
                    }
                }).ToList();
                await Task.WhenAny(names.FirstFound, Task.WhenAll(asking));
                await patience.CancelAsync();
                await Task.WhenAll(asking);
            }
            var (name, addresses) = await names.FirstFound.WaitAsync(TimeSpan.FromSeconds(1));
            Assert.EndsWith(".local", name);
            Assert.NotEmpty(addresses);
        }
        finally
        {
            _output.WriteLine($"resolved: {names}");
        }
        Assert.All(names.Asked, name => Assert.EndsWith(".local", name));
    }

    private async Task Diagnose(OurNode[] ours, BrowserNode[] pages, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception)
        {
            foreach (var node in ours)
                _output.WriteLine($"our node {node.Exchange.NodeId}: {string.Join("; ", node.PeerErrors.Select(e => $"{e.Peer?.Id}: {e.Error.Message}"))}");
            foreach (var page in pages) _output.WriteLine("page events:\n" + page.Describe());
            throw;
        }
    }
}
