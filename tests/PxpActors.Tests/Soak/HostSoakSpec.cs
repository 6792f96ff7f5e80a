using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.JsReference;
using PxpActors.TestSupport.Raw;
using PxpActors.TestSupport.Soak;
using PxpActors.Tests.Support;
using Xunit.Abstractions;

namespace PxpActors.Tests.Soak;

/// <summary>
/// The standalone host under hostile peers, each scenario small (docs/soak.md; the bench's soak command runs them
/// for minutes): afterwards the host holds no more threads, descriptors or sockets than before, and a fresh
/// peer still gets a handshake and a getpeers answer.
/// </summary>
public sealed class HostSoakSpec(ITestOutputHelper output)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Host_must_return_to_baseline_after_waves_of_churning_and_garbage_sending_peers() =>
        SoakAsync(new ChurnScenario(waves: 3, peersPerWave: 70, concurrency: 35));

    // More peers than the host has descriptors: its connection cap (the file limit less a reserve) refuses the rest.
    [Fact]
    public Task Host_must_keep_accepting_after_a_crowd_larger_than_its_file_limit() =>
        SoakAsync(new CrowdScenario(peers: 500, concurrency: 100), fileLimit: 400);

    [Fact]
    public Task Host_must_return_to_baseline_after_a_crowd_of_peers_leaves() =>
        SoakAsync(new CrowdScenario(peers: 300, concurrency: 100));

    [Fact]
    public Task Host_must_return_to_baseline_after_slow_readers_that_never_read_what_they_asked_for() =>
        SoakAsync(new SlowReaderScenario(peers: 20, bytesPerPeer: 1024 * 1024, getPeersPerPeer: 20));

    [Fact]
    public Task Host_must_return_to_baseline_after_a_storm_of_granted_refused_duplicate_and_unanswered_relays() =>
        SoakAsync(new RelayStormScenario(askers: 4, targets: 3, relaysPerAsker: 8, relayPatience: TimeSpan.FromSeconds(5)));

    [SkippableFact]
    public Task Host_must_return_to_baseline_after_js_nodes_are_killed_mid_relay()
    {
        NodeTool.SkipUnlessAvailable();
        return SoakAsync(new KilledRelayScenario(rounds: 2, bytesPerRound: 200 * 1024));
    }

    [SkippableFact]
    public Task Host_must_return_to_baseline_after_js_nodes_are_killed_mid_upgrade()
    {
        NodeTool.SkipUnlessAvailable();
        return SoakAsync(new KilledUpgradeScenario(rounds: 2, upgradePatience: TimeSpan.FromSeconds(10)));
    }

    private async Task SoakAsync(ISoakScenario scenario, int? fileLimit = null)
    {
        var (host, target) = await SoakHost.StartAsync(fileLimit);
        await using (host)
        {
            // One peer of each churn behaviour first, so the baseline has the code paths of good and bad peers loaded.
            await new ChurnScenario(waves: 1, peersPerWave: 7, concurrency: 1).RunAsync(target, CancellationToken.None);
            await Condition.UntilAsync(() => host.Peers == 0, "the warm-up peers did not leave the host", SettleTimeout);

            try
            {
                var figures = await SoakRunner.RunAsync(host, target, scenario, baseline => Condition.UntilAsync(
                    () => SoakRunner.IsBackTo(host, baseline, SettleTolerance.Default),
                    $"the host did not return to {baseline} with {host.Peers} peers: {host.Sample()}", SettleTimeout));
                output.WriteLine(figures.ToString());

                Assert.True(figures.Outcome.Failures == 0, figures.Outcome.ToString());
                await FreshPeerMustHandshakeAndGetPeersAsync(target);
            }
            catch (Exception)
            {
                output.WriteLine($"host exited: {host.HasExited}; its stderr:\n{host.StandardError}");
                throw;
            }
        }
    }

    private static async Task FreshPeerMustHandshakeAndGetPeersAsync(SoakTarget target)
    {
        await using var peer = await RawPxpPeer.ConnectAsync(target.Address);
        await peer.StartSessionAsync(target.Network);
        Assert.Equal(Hello.CurrentVersion, (await peer.ReceiveAsync<Hello>()).Version);
        var nonce = peer.NextNonce();
        await peer.SendRpcAsync(new GetPeers(nonce, target.Network));
        var reply = await peer.ReceiveAsync<Response>(r => r.Nonce == nonce);
        Assert.True(Replies.ReadCandidates(reply.Args).IsSuccess, reply.Args.GetRawText());
    }
}
