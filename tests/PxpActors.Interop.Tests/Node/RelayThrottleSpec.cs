using System.Diagnostics;
using System.Text.Json.Nodes;
using PxpActors.TestSupport.JsReference;
using Xunit;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// Our hub's relay throttle as JS nodes see it: bare pxp peers (whose relayed streams are raw bytes)
/// relay through us and time the transfer.
/// </summary>
[Collection(JsNodeCollection.Name)]
public sealed class RelayThrottleSpec
{
    private const string Network = "test";
    private const int TransferBytes = 100_000;
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonObject AcceptingConnectInfo = new() { ["pxp"] = true, ["relay"] = true, ["webrtc"] = true };

    [SkippableFact]
    public async Task A_relay_through_our_hub_at_20_kB_per_s_must_take_its_time()
    {
        await using var hub = await OurNode.StartAsync(Network, new PeerExchangeOptions { RelayBytesPerSecond = 20_000 });

        var elapsed = await TimeRelayedTransferAsync(hub);

        // 100 kB at 20 kB/s is 5 s; the throttle's first burst and timer granularity leave at least 4.
        Assert.True(elapsed >= TimeSpan.FromSeconds(4), $"100 kB went through a 20 kB/s relay in {elapsed}");
    }

    [SkippableFact]
    public async Task A_relay_through_our_hub_with_the_throttle_off_must_complete()
    {
        await using var hub = await OurNode.StartAsync(Network, new PeerExchangeOptions { RelayBytesPerSecond = 0 });

        await TimeRelayedTransferAsync(hub);
    }

    /// <summary>One bare JS peer relays to another through the hub and sends 100 kB; the time until all arrived.</summary>
    private static async Task<TimeSpan> TimeRelayedTransferAsync(OurNode hub)
    {
        await using var driver = await JsDriver.StartAsync();
        var group = driver.BarePeers("bare", [Network], AcceptingConnectInfo);
        var asker = await group.ConnectAsync(hub.Port);
        var target = await group.ConnectAsync(hub.Port);
        await asker.WaitReadyAsync();
        await target.WaitReadyAsync();
        await hub.WaitForPeerCountAsync(2);

        var candidate = Assert.Single(await asker.GetPeersAsync(Network));
        var relayed = await asker.RelayAsync(candidate.Id);
        var incoming = await driver.Events.WaitForAsync(
            e => e.Kind == "incomingRelay" && e.Peer == target.Id, JsDriver.DefaultTimeout, "the relay to reach the target");
        var targetSide = driver.ConnectionFrom(await driver.Events.WaitForAsync(
            e => e.Kind == "connection" && e.Conn == incoming.Conn, JsDriver.DefaultTimeout, "the target's relayed connection"));

        var payload = Payloads.Random(TransferBytes, seed: 6);
        var clock = Stopwatch.StartNew();
        await relayed.WriteAsync(payload);
        var received = await targetSide.ReadExactlyAsync(payload.Length, TransferTimeout);
        clock.Stop();

        Assert.Equal(Payloads.Checksum(payload), Payloads.Checksum(received));
        Assert.Empty(hub.PeerErrors);
        return clock.Elapsed;
    }
}
