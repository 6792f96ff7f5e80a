using System.Diagnostics;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Host;
using PxpActors.TestSupport.Raw;
using PxpActors.TestSupport.Soak;

namespace PxpActors.Bench.Soak;

/// <summary>
/// The long soak (docs/soak.md): every scenario of TestSupport/Soak at full size against one host process, in turn,
/// printing the host's RSS, threads, descriptors and TCP sockets before, at the peak of and after each, whether it
/// settled back to its baseline, and whether a fresh peer still gets a handshake and a getpeers answer. The file-limit
/// scenario (a crowd half again as large as the limit) gets a host of its own, started under <c>ulimit -n</c>.
/// </summary>
public static class SoakCommand
{
    private static readonly TimeSpan SettlePatience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        SoakOptions options;
        try
        {
            options = SoakOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{SoakOptions.Usage}").ConfigureAwait(false);
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var unhealthy = 0;
        var (host, target) = await SoakHost.StartAsync().ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            Console.WriteLine($"PxpActors soak ({(options.Quick ? "quick" : "full")}) {DateTimeOffset.UtcNow:u}, host pid {host.Id} at {target.Address}");
            foreach (var scenario in Scenarios(options.Quick).Where(s => options.Runs(s.Name)))
                if (!await RunOneAsync(host, target, scenario, clock).ConfigureAwait(false)) unhealthy++;
        }

        if (options.Runs("file-limit"))
        {
            var (limited, limitedTarget) = await SoakHost.StartAsync(options.FileLimit).ConfigureAwait(false);
            await using (limited.ConfigureAwait(false))
            {
                Console.WriteLine($"host pid {limited.Id} under ulimit -n {options.FileLimit}");
                var scenario = new NamedScenario("file-limit", new CrowdScenario(peers: options.FileLimit + options.FileLimit / 2, concurrency: 200));
                if (!await RunOneAsync(limited, limitedTarget, scenario, clock).ConfigureAwait(false)) unhealthy++;
            }
        }
        Console.WriteLine($"soak done in {clock.Elapsed.TotalMinutes:0.0} min; {unhealthy} scenario(s) left the host unsettled or unhealthy");
        return unhealthy == 0 ? 0 : 1;
    }

    /// <summary>Full: some minutes on 2 cores; quick: under two minutes.</summary>
    private static IEnumerable<ISoakScenario> Scenarios(bool quick) =>
    [
        quick ? new ChurnScenario(waves: 4, peersPerWave: 250, concurrency: 100) : new ChurnScenario(waves: 20, peersPerWave: 500, concurrency: 200),
        quick ? new CrowdScenario(peers: 500, concurrency: 100) : new CrowdScenario(peers: 3000, concurrency: 200),
        quick ? new SlowReaderScenario(peers: 50, bytesPerPeer: 8 << 20, getPeersPerPeer: 20)
            : new SlowReaderScenario(peers: 200, bytesPerPeer: 16 << 20, getPeersPerPeer: 50),
        quick ? new RelayStormScenario(askers: 8, targets: 4, relaysPerAsker: 16, relayPatience: TimeSpan.FromSeconds(5))
            : new RelayStormScenario(askers: 40, targets: 10, relaysPerAsker: 40, relayPatience: TimeSpan.FromSeconds(5)),
        quick ? new KilledRelayScenario(rounds: 2, bytesPerRound: 256 * 1024) : new KilledRelayScenario(rounds: 10, bytesPerRound: 1 << 20),
        quick ? new KilledUpgradeScenario(rounds: 2, upgradePatience: TimeSpan.FromSeconds(10))
            : new KilledUpgradeScenario(rounds: 8, upgradePatience: TimeSpan.FromSeconds(10)),
    ];

    /// <summary>Runs one scenario and prints its figures; false when the host did not settle or a fresh peer failed.</summary>
    private static async Task<bool> RunOneAsync(HostProcess host, SoakTarget target, ISoakScenario scenario, Stopwatch clock)
    {
        Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {scenario.Name} ...");
        var settled = false;
        ScenarioFigures figures;
        try
        {
            figures = await SoakRunner.RunAsync(host, target, scenario, async baseline =>
                settled = await SoakRunner.SettleAsync(host, baseline, SettleTolerance.Default, SettlePatience).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (HostExitedException e)
        {
            Console.WriteLine($"{scenario.Name}: HOST EXITED. {e.Message.Trim()}");
            return false;
        }
        var peersLeft = host.Peers;
        var healthy = await FreshPeerSucceedsAsync(target).ConfigureAwait(false);
        // The next scenario's baseline must not count the fresh peer.
        await SoakRunner.SettleAsync(host, figures.After, SettleTolerance.Default, SettlePatience).ConfigureAwait(false);
        Console.WriteLine(figures);
        Console.WriteLine($"  settled: {(settled ? "yes" : $"NO within {SettlePatience.TotalSeconds:0} s")}, host peers {peersLeft}, fresh peer handshake + getpeers: {healthy}");
        return settled && healthy == "ok";
    }

    private static async Task<string> FreshPeerSucceedsAsync(SoakTarget target)
    {
        try
        {
            await using var peer = await RawPxpPeer.ConnectAsync(target.Address).ConfigureAwait(false);
            await peer.StartSessionAsync(target.Network).ConfigureAwait(false);
            await peer.ReceiveAsync<Hello>().ConfigureAwait(false);
            var nonce = peer.NextNonce();
            await peer.SendRpcAsync(new GetPeers(nonce, target.Network)).ConfigureAwait(false);
            var reply = await peer.ReceiveAsync<Response>(r => r.Nonce == nonce).ConfigureAwait(false);
            return Replies.ReadCandidates(reply.Args).IsSuccess ? "ok" : $"FAILED ({reply.Args.GetRawText()})";
        }
        catch (Exception e)
        {
            return $"FAILED ({e.GetType().Name}: {e.Message})";
        }
    }

    /// <summary>A scenario reported under another name (the churn past the file limit).</summary>
    private sealed class NamedScenario(string name, ISoakScenario inner) : ISoakScenario
    {
        public string Name => name;

        public Task<SoakOutcome> RunAsync(SoakTarget target, CancellationToken cancel) => inner.RunAsync(target, cancel);
    }
}
