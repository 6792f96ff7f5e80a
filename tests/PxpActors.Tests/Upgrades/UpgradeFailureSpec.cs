using System.Diagnostics;
using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Upgrades;

/// <summary>
/// getNewPeer when the candidate cannot or will not complete the upgrade: a clear error within the timeout, and nothing
/// left behind on any node (upgrades, sessions, relays, peer connections with their sockets and DTLS threads).
/// </summary>
public sealed class UpgradeFailureSpec
{
    private static readonly TimeSpan Released = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetNewPeer_must_fail_clearly_when_the_only_candidate_does_not_accept_incoming()
    {
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync(options: new PeerExchangeOptions { AllowIncoming = false });
        await a.Exchange.AddPeerAsync(hub.Address);
        await b.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");

        var error = await Assert.ThrowsAsync<PxpRequestException>(() => a.Exchange.GetNewPeerAsync());

        Assert.Equal("Peer did not return any candidates", error.Message);
    }

    [Fact]
    public async Task GetNewPeer_must_fail_within_its_timeout_and_release_everything_when_the_candidate_never_answers()
    {
        var askerWebRtc = new ObservedWebRtcFactory();
        var silentWebRtc = new ObservedWebRtcFactory(muted: true);
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync(options: new PeerExchangeOptions
        {
            WebRtc = askerWebRtc, GetNewPeerTimeout = TimeSpan.FromSeconds(4), UpgradeTimeout = TimeSpan.FromSeconds(2),
        });
        await using var b = await TestNode.StartAsync(options: new PeerExchangeOptions { WebRtc = silentWebRtc });
        await a.Exchange.AddPeerAsync(hub.Address);
        await b.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PxpRequestException>(() => a.Exchange.GetNewPeerAsync());

        Assert.StartsWith("getNewPeer did not find a new peer within 4 s (pxp.get-new-peer-timeout); the last attempt: " +
            "The WebRTC upgrade did not finish within", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4 + 5), $"getNewPeer took {clock.Elapsed} with a 4 s timeout");
        await AssertNothingLeftAsync(hub, a, b);
        await askerWebRtc.AllClosedAsync(Released);
        await b.WaitForStatsAsync(s => s.Resources.StandbyConnections == 1, "B: a standby for the next offer");
        await silentWebRtc.AllClosedButStandbyAsync(Released);
        Assert.Equal(1, silentWebRtc.Open);
    }

    [Fact]
    public async Task GetNewPeer_must_fail_and_release_everything_when_the_candidate_dies_mid_upgrade()
    {
        var askerWebRtc = new ObservedWebRtcFactory();
        var dyingWebRtc = new ObservedWebRtcFactory(muted: true);
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync(options: new PeerExchangeOptions { WebRtc = askerWebRtc });
        var b = await TestNode.StartAsync(options: new PeerExchangeOptions { WebRtc = dyingWebRtc });
        await a.Exchange.AddPeerAsync(hub.Address);
        await b.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");

        var getNewPeer = a.Exchange.GetNewPeerAsync();
        await dyingWebRtc.FirstMade.WaitAsync(TestNode.Timeout); // B is answering the offer...
        await b.DisposeAsync(); // ...and goes away.

        var error = await Assert.ThrowsAsync<PxpRequestException>(() => getNewPeer);
        Assert.Equal("Peer did not return any candidates", error.Message); // its retry found nobody left
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 1 && s.Resources.Relays == 0, "the hub: A only, no relay");
        await a.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.Upgrades == 0, "A: the hub only, no upgrade");
        await askerWebRtc.AllClosedAsync(Released);
        await dyingWebRtc.AllClosedAsync(Released);
    }

    [Fact]
    public async Task A_candidate_at_its_upgrade_limit_must_refuse_the_upgrade_and_count_it()
    {
        await using var hub = await TestNode.StartAsync();
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync(options: new PeerExchangeOptions
        {
            Config = Akka.Configuration.ConfigurationFactory.ParseString("pxp.limits.max-pending-upgrades = 0"),
        });
        await a.Exchange.AddPeerAsync(hub.Address);
        await b.Exchange.AddPeerAsync(hub.Address);
        await hub.WaitForStatsAsync(s => s.ReadyPeers == 2, "A and B at the hub");

        var error = await Assert.ThrowsAsync<PxpRequestException>(() => a.Exchange.GetNewPeerAsync());

        Assert.Equal("The relayed session closed before the WebRTC upgrade finished", error.Message);
        Assert.StartsWith("Refused: 0 WebRTC upgrades are in progress", (await b.NextPeerErrorAsync()).Message);
        await AssertNothingLeftAsync(hub, a, b);
        Assert.True((await b.StatsAsync()).Resources.Refusals.GetValueOrDefault("upgrades") >= 1);
    }

    private static async Task AssertNothingLeftAsync(TestNode hub, TestNode a, TestNode b)
    {
        await hub.WaitForStatsAsync(s => s.Sessions == 2 && s.Resources.Relays == 0, "the hub: A and B, no relay");
        await a.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.Upgrades == 0 && s.Resources.RelayedSessions == 0,
            "A: the hub only, no upgrade");
        await b.WaitForStatsAsync(s => s.Sessions == 1 && s.Resources.Upgrades == 0 && s.Resources.RelayedSessions == 0,
            "B: the hub only, no upgrade");
    }
}
