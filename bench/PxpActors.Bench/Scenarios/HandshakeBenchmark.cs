using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime;
using PxpActors.Bench.Measurement;
using PxpActors.Bench.Processes;
using PxpActors.Bench.Reporting;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Handshake latency: from the TCP connect call until ConnectAsync hands back the application
/// connection (magic, hello both ways, connect and its reply). One connect at a time, sessions kept
/// open. Set against the JS reference with TCP_NODELAY doing the same in its own process, and for
/// context against a bare TCP connect. Also the CPU time one handshake costs (both ends), which a busy
/// machine distorts far less than latency.
/// </summary>
public static class HandshakeBenchmark
{
    public const string Name = "handshake";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private const int WarmupBatch = 200;
    // Settled: three batches in a row that compile fewer than ten methods each (a rare path may still come up).
    private const int SettledCompiles = 10;
    private const int HandshakesPerWarmupPair = 2000;

    private sealed record Handshakes(List<double> LatenciesMs, double CpuMsPerHandshake, int Warmup, string? During = null);

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var oursRun = await MeasureOursAsync(profile).ConfigureAwait(false);
        var ours = SampleSummary.Of(oursRun.LatenciesMs);
        var rawConnect = SampleSummary.Of(await MeasureRawConnectAsync(profile).ConfigureAwait(false));
        var jsUnavailable = await JsScripts.UnavailableReasonAsync().ConfigureAwait(false);
        // The JS reference gets as many warm-ups as ours needed.
        var jsRun = jsUnavailable is null ? await MeasureJsAsync(profile, oursRun.Warmup).ConfigureAwait(false) : null;

        var jit = oursRun.Warmup < profile.HandshakeWarmupMax ? "until the .NET JIT settled" : "the most allowed: the .NET JIT had not settled";
        var samples = $"{profile.HandshakeSamples} sequential connects after {oursRun.Warmup} untimed ({jit})";
        var results = new List<BenchResult>();
        if (jsRun is not null)
        {
            var js = SampleSummary.Of(jsRun.LatenciesMs);
            results.Add(new BenchResult(Name, "connect -> app connection, median", "ms", ours.Median, "JS ref, TCP_NODELAY", js.Median,
                "<= 1 ms and < JS", ours.Median <= 1.0 && ours.Median < js.Median,
                $"{samples}; JS with Nagle (issue 2, not measured here): 87.8 ms median"));
            results.Add(new BenchResult(Name, "connect -> app connection, p99", "ms", ours.P99, "JS ref, TCP_NODELAY", js.P99,
                "< JS", ours.P99 < js.P99, $"{samples}; ours {oursRun.During}"));
            results.Add(new BenchResult(Name, "CPU per handshake (both ends)", "ms", oursRun.CpuMsPerHandshake, "JS ref, TCP_NODELAY",
                jsRun.CpuMsPerHandshake, "-", null, "context: process CPU time over the timed handshakes / their number"));
        }
        else
        {
            results.Add(new BenchResult(Name, "connect -> app connection, median", "ms", ours.Median, "raw TCP connect", rawConnect.Median,
                "<= 1 ms", ours.Median <= 1.0, $"JS reference not measured ({jsUnavailable}); baseline is a bare TCP connect"));
            results.Add(new BenchResult(Name, "connect -> app connection, p99", "ms", ours.P99, "raw TCP connect", rawConnect.P99,
                "-", null, samples));
            results.Add(new BenchResult(Name, "CPU per handshake (both ends)", "ms", oursRun.CpuMsPerHandshake, "-", null,
                "-", null, "context: process CPU time over the timed handshakes / their number"));
        }
        results.Add(new BenchResult(Name, "PXP handshake vs bare TCP connect, median", "ms", ours.Median, "raw TCP connect",
            rawConnect.Median, "-", null, "context: what the PXP handshake adds to the socket connect"));
        return results;
    }

    private static async Task<Handshakes> MeasureOursAsync(BenchProfile profile)
    {
        var warmup = await WarmUpAsync(profile).ConfigureAwait(false);
        await using var pair = await ListeningPair.OpenAsync().ConfigureAwait(false);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var before = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2), Pause: GC.GetTotalPauseDuration(),
            Allocated: GC.GetTotalAllocatedBytes(precise: true), Compiled: JitInfo.GetCompiledMethodCount());
        var latencies = new List<double>(profile.HandshakeSamples);
        for (var i = 0; i < profile.HandshakeSamples; i++)
        {
            var clock = Stopwatch.StartNew();
            await pair.HandshakeAsync().ConfigureAwait(false);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        self.Refresh();
        var cpuMs = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var during = $"during the timed loop: {GC.CollectionCount(0) - before.Gen0} gen0, {GC.CollectionCount(1) - before.Gen1} gen1, " +
            $"{GC.CollectionCount(2) - before.Gen2} gen2 collections, {(GC.GetTotalPauseDuration() - before.Pause).TotalMilliseconds:0.#} ms paused; " +
            $"{(GC.GetTotalAllocatedBytes(precise: true) - before.Allocated) / 1024.0 / profile.HandshakeSamples:0.#} KiB allocated per connect (both ends); " +
            $"{JitInfo.GetCompiledMethodCount() - before.Compiled} methods compiled";
        return new Handshakes(latencies, cpuMs / profile.HandshakeSamples, warmup, during);
    }

    /// <summary>
    /// At least the profile's warm-up, then batches until the JIT has settled (<see cref="JitWarmup"/>): here that takes
    /// some 10,000 handshakes, and until then the median is twice the settled one. Each pair of nodes serves a few
    /// thousand and is closed, so open sockets stay far from the file limit.
    /// </summary>
    private static async Task<int> WarmUpAsync(BenchProfile profile)
    {
        var pair = await ListeningPair.OpenAsync().ConfigureAwait(false);
        var onPair = 0;
        try
        {
            var batches = await JitWarmup.UntilSettledAsync(async () =>
            {
                if (onPair >= HandshakesPerWarmupPair)
                {
                    await pair.DisposeAsync().ConfigureAwait(false);
                    pair = await ListeningPair.OpenAsync().ConfigureAwait(false);
                    onPair = 0;
                }
                for (var i = 0; i < WarmupBatch; i++) await pair.HandshakeAsync().ConfigureAwait(false);
                onPair += WarmupBatch;
            }, maxBatches: (profile.HandshakeWarmupMax + WarmupBatch - 1) / WarmupBatch,
                minBatches: (profile.HandshakeWarmup + WarmupBatch - 1) / WarmupBatch,
                settledCompiles: SettledCompiles).ConfigureAwait(false);
            return batches * WarmupBatch;
        }
        finally
        {
            await pair.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A listening node and a node that connects to it, as two processes would have them.</summary>
    private sealed class ListeningPair : IAsyncDisposable
    {
        private readonly PeerExchange _server;
        private readonly PeerExchange _client;
        private readonly Uri _address;

        private ListeningPair(PeerExchange server, PeerExchange client, Uri address)
        {
            _server = server;
            _client = client;
            _address = address;
        }

        public static async Task<ListeningPair> OpenAsync()
        {
            var server = new PeerExchange("bench");
            try
            {
                var address = await server.ListenAsync(new Uri("tcp://127.0.0.1:0")).ConfigureAwait(false);
                return new ListeningPair(server, new PeerExchange("bench"), address);
            }
            catch
            {
                await server.CloseAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>One connect, kept open.</summary>
        public Task HandshakeAsync() => _client.ConnectAsync(_address).WaitAsync(StepTimeout);

        public async ValueTask DisposeAsync()
        {
            await _client.CloseAsync().ConfigureAwait(false);
            await _server.CloseAsync().ConfigureAwait(false);
        }
    }

    private static async Task<List<double>> MeasureRawConnectAsync(BenchProfile profile)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        var samples = new List<double>(profile.HandshakeSamples);
        for (var i = 0; i < profile.HandshakeWarmup + profile.HandshakeSamples; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var accepting = listener.AcceptAsync();
            var clock = Stopwatch.StartNew();
            await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(StepTimeout).ConfigureAwait(false);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            using var accepted = await accepting.WaitAsync(StepTimeout).ConfigureAwait(false);
            if (i >= profile.HandshakeWarmup) samples.Add(elapsed);
        }
        return samples;
    }

    private static async Task<Handshakes> MeasureJsAsync(BenchProfile profile, int warmup)
    {
        await using var node = ChildProcess.Start("node handshake.js", JsScripts.Start("handshake.js",
            [profile.HandshakeSamples.ToString(), warmup.ToString()]));
        var reply = await node.ReadReplyAsync(TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        return new Handshakes(reply["samplesMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToList(),
            reply["cpuMsPerHandshake"]!.GetValue<double>(), warmup);
    }
}
