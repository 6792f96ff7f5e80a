using System.Text.Json;
using PxpActors.TestSupport.Host;
using PxpActors.TestSupport.JsReference;

namespace PxpActors.Tests.Host;

/// <summary>Swarm upkeep in the standalone host: <c>--peers N</c> on host processes, with a JS reference node among them.</summary>
public sealed class HostSwarmSpec
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Three_hosts_with_peers_3_and_a_js_node_must_form_a_network_where_every_host_reaches_its_target()
    {
        NodeTool.SkipUnlessAvailable();
        await using var driver = await JsDriver.StartAsync();
        await using var seed = HostProcess.Start("--json", "--network", "swarm", "--listen", "tcp://127.0.0.1:0", "--peers", "3");
        var address = await seed.ListeningAsync();
        var js = await driver.CreateExchangeAsync("j", "swarm");
        await js.ConnectAsync(address.Port);
        await using var second = HostProcess.Start("--json", "--network", "swarm", "--listen", "tcp://127.0.0.1:0", "--connect", address.ToString(),
            "--peers", "3");
        await using var third = HostProcess.Start("--json", "--network", "swarm", "--listen", "tcp://127.0.0.1:0", "--connect", address.ToString(),
            "--peers", "3");

        // The seed has its three over TCP; the others reach theirs with getNewPeer: the seed, and each other and the JS node
        // over WebRTC (ours answering or offering to libwebrtc).
        // At least: a relayed or upgraded session of the others' getNewPeer may come in before the third TCP one.
        Assert.True(await PeersAfterAsync(seed, "tcp", 3) >= 3);
        Assert.True(await PeersAfterAsync(second, "webrtc", 2) >= 3);
        Assert.True(await PeersAfterAsync(third, "webrtc", 2) >= 3);
        Assert.True((await js.PeersAsync()).Count >= 3); // the JS node: the seed and both others (and relayed sessions it keeps)
    }

    /// <summary>Waits for <paramref name="count"/> peer events over <paramref name="transport"/>; returns the last one's peer count.</summary>
    private static async Task<int> PeersAfterAsync(HostProcess host, string transport, int count)
    {
        JsonElement peer = default;
        var events = new List<string>();
        try
        {
            for (var seen = 0; seen < count;)
            {
                peer = await host.NextEventAsync("peer", Patience);
                events.Add(peer.GetRawText());
                if (peer.GetProperty("transport").GetString() == transport) seen++;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{count} {transport} peers awaited; peer events: {string.Join(" ", events)}; stderr: {host.StandardError}");
        }
        return peer.GetProperty("peers").GetInt32();
    }
}
