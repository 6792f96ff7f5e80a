using System.Diagnostics;
using PxpActors.Actors;
using PxpActors.Bench.Measurement;
using PxpActors.Bench.Processes;
using PxpActors.Bench.Reporting;
using PxpActors.TestSupport.JsReference;
using PxpActors.TestSupport.Wrtc;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// getNewPeer end to end on loopback (issue 13): hub, asker and candidate in one process, the asker's getNewPeer timed
/// from the call to the new application connection (getpeers, relay, nested handshake, WebRTC upgrade over the relay,
/// handshake and connect over the data channel), then that session closed so each sample upgrades afresh. Also the CPU
/// one getNewPeer costs (all three nodes), and a time-boxed one-way transfer over an upgraded connection's application
/// stream. The baseline is the JS reference doing the same in one node process with TCP_NODELAY (js/getnewpeer.js).
/// Untimed calls come first, in batches of ten until a batch compiles hardly any new method (three in a row): until then
/// a call runs tier-0 and instrumented code and competes with the JIT's own thread (around the 40th call some 40% of a CPU
/// profile was the JIT and the runtime), which a long-running node is past; the JS reference gets as many untimed calls.
/// </summary>
public static class GetNewPeerBenchmark
{
    public const string Name = "getnewpeer";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);
    private const int WarmupBatch = 10;
    // New methods per batch of ten calls that still count as settled: a few stragglers are compiled now and then forever.
    private const int SettledCompiles = 10;

    private sealed record Run(List<double> LatenciesMs, double CpuMsPerCall, double BytesPerSecond, int Warmups, int Stalled = 0);

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var samples = profile.GetNewPeerSamples;
        var ours = await MeasureOursAsync(profile).ConfigureAwait(false);
        var unavailable = await JsScripts.UnavailableReasonAsync().ConfigureAwait(false)
            ?? await JsScripts.LibwebrtcUnavailableReasonAsync("getnewpeer.js").ConfigureAwait(false);
        var js = unavailable is null ? await MeasureJsAsync(profile, ours.Warmups).ConfigureAwait(false) : null;
        var oursLatency = SampleSummary.Of(ours.LatenciesMs);
        var jsLatency = js is null ? null : SampleSummary.Of(js.LatenciesMs);
        var baseline = js is null ? "-" : "JS ref, TCP_NODELAY";
        var settled = ours.Warmups < profile.GetNewPeerWarmupMax ? "until the JIT settled" : "the most allowed: the JIT had not settled";
        var note = $"{samples} sequential getNewPeer calls after {ours.Warmups} untimed ({settled})" +
            (unavailable is null ? "" : $"; JS reference not measured ({unavailable})");
        return
        [
            new BenchResult(Name, "getNewPeer -> app connection, median", "ms", oursLatency.Median, baseline, jsLatency?.Median,
                "<= 0.3x JS", jsLatency is null ? null : oursLatency.Median <= 0.3 * jsLatency.Median, note),
            new BenchResult(Name, "getNewPeer -> app connection, p99", "ms", oursLatency.P99, baseline, jsLatency?.P99,
                "-", null, note + (js is null ? "" : $"; JS calls that never called back (abandoned after 5 s, taken again): {js.Stalled}")),
            new BenchResult(Name, "CPU per getNewPeer (hub, asker, candidate)", "ms", ours.CpuMsPerCall, baseline, js?.CpuMsPerCall,
                "-", null, "process CPU time over the timed calls / their number"),
            new BenchResult(Name, "app stream over the upgraded connection", "MB/s", ours.BytesPerSecond / 1e6, baseline,
                js?.BytesPerSecond / 1e6, ">= 1.5x JS", js is null ? null : ours.BytesPerSecond >= 1.5 * js.BytesPerSecond,
                $"one way, 64 KiB writes for {profile.TransferDuration.TotalSeconds:0.##} s after a {profile.TransferWarmup.TotalSeconds:0.##} s warm-up"),
        ];
    }

    private static async Task<Run> MeasureOursAsync(BenchProfile profile)
    {
        await using var hub = new PeerExchange("bench");
        await using var asker = new PeerExchange("bench");
        await using var candidate = new PeerExchange("bench");
        var address = await hub.ListenAsync(new Uri("tcp://127.0.0.1:0")).ConfigureAwait(false);
        var incoming = System.Threading.Channels.Channel.CreateUnbounded<PxpConnection>();
        var removed = System.Threading.Channels.Channel.CreateUnbounded<PeerInfo>();
        candidate.Connected += c =>
        {
            if (c.Transport == "webrtc") incoming.Writer.TryWrite(c);
        };
        candidate.PeerRemoved += (peer, _) =>
        {
            if (peer.Transport == "webrtc") removed.Writer.TryWrite(peer);
        };
        await asker.AddPeerAsync(address).ConfigureAwait(false);
        await candidate.AddPeerAsync(address).ConfigureAwait(false);

        async Task<double> TimedAsync()
        {
            var clock = Stopwatch.StartNew();
            var connection = await asker.GetNewPeerAsync().WaitAsync(Patience).ConfigureAwait(false);
            var ms = clock.Elapsed.TotalMilliseconds;
            await incoming.Reader.ReadAsync().AsTask().WaitAsync(Patience).ConfigureAwait(false); // the candidate's end, raised
            // Untimed: both ends gone before the next call (the candidate refuses a second connection to the same node).
            await asker.DisconnectAsync(connection.Peer!).WaitAsync(Patience).ConfigureAwait(false);
            await removed.Reader.ReadAsync().AsTask().WaitAsync(Patience).ConfigureAwait(false);
            return ms;
        }

        var batches = await JitWarmup.UntilSettledAsync(async () =>
        {
            for (var i = 0; i < WarmupBatch; i++) await TimedAsync().ConfigureAwait(false);
        }, maxBatches: profile.GetNewPeerWarmupMax / WarmupBatch, minBatches: profile.GetNewPeerWarmup / WarmupBatch,
            settledCompiles: SettledCompiles).ConfigureAwait(false);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var latencies = new List<double>();
        for (var i = 0; i < profile.GetNewPeerSamples; i++) latencies.Add(await TimedAsync().ConfigureAwait(false));
        self.Refresh();
        var cpuMs = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / profile.GetNewPeerSamples;

        var writer = await asker.GetNewPeerAsync().WaitAsync(Patience).ConfigureAwait(false);
        var reader = await incoming.Reader.ReadAsync().AsTask().WaitAsync(Patience).ConfigureAwait(false);
        await using var writes = writer.OpenStream();
        await using var reads = reader.OpenStream();
        await TimeBoxedTransfer.MeasureAsync(writes, reads, profile.TransferWarmup, BenchProfile.WriteSize).ConfigureAwait(false);
        var rate = await TimeBoxedTransfer.MeasureAsync(writes, reads, profile.TransferDuration, BenchProfile.WriteSize).ConfigureAwait(false);
        return new Run(latencies, cpuMs, rate.BytesPerSecond, batches * WarmupBatch);
    }

    private static async Task<Run> MeasureJsAsync(BenchProfile profile, int warmups)
    {
        var modules = string.Join(Path.PathSeparator,
            Path.Combine(JsReferencePaths.JsDirectory, "node_modules"), Path.Combine(WrtcPaths.Directory, "node_modules"));
        await using var node = ChildProcess.Start("node getnewpeer.js", JsScripts.Start("getnewpeer.js",
            [profile.GetNewPeerSamples.ToString(), warmups.ToString(),
                ((int)(profile.TransferDuration + profile.TransferWarmup).TotalMilliseconds).ToString()], nodeModules: modules));
        // A second per untimed call on top: a loaded machine stretches the reference's calls (and its stalls) a lot.
        var reply = await node.ReadReplyAsync(Patience + TimeSpan.FromSeconds(warmups)).ConfigureAwait(false);
        return new Run(reply["samplesMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToList(),
            reply["cpuMsPerGetNewPeer"]!.GetValue<double>(), reply["bytesPerSecond"]!.GetValue<double>(), warmups, reply["stalled"]!.GetValue<int>());
    }
}
