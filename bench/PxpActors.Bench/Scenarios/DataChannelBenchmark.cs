using System.Diagnostics;
using System.Security.Cryptography;
using PxpActors.Bench.Measurement;
using PxpActors.Bench.Processes;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Topologies;
using PxpActors.TestSupport.JsReference;
using PxpActors.TestSupport.Wrtc;
using PxpActors.WebRtc;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Open data channels on loopback (issue 4): one-way throughput (a fixed amount of random bytes, 64 KiB
/// messages, SHA-256 checked at the far end) ours↔ours, ours→libwebrtc and libwebrtc→ours; round trip
/// of small echoed messages ours↔ours and ours↔libwebrtc (the driver's echo command); GC heap per open
/// ours↔ours connection. The baseline is libwebrtc↔libwebrtc inside one node process (js/datachannel.js).
/// Every connection is opened and warmed up once; then rounds run each measurement in turn, the
/// baseline's included, so a machine shared with other work loads ours and theirs alike. A figure is
/// the median over the rounds; the notes give the range of the per-round ratios.
/// </summary>
public static class DataChannelBenchmark
{
    public const string Name = "datachannel";
    private const string BaselineName = "libwebrtc<->libwebrtc";
    private const int MessageSize = BenchProfile.WriteSize;
    private const int EchoSize = 16;
    private const int RoundTrips = 200;
    private const int RoundTripWarmup = 20;
    private const int MemoryConnections = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    // Warm-up rounds go on until three in a row each compile fewer methods than this (a few dozen still come
    // from the driver's replies at steady state), at most MaxWarmups of them.
    private const int SettledCompiles = 50;
    private const int MaxWarmups = 40;

    /// <summary>One measurement's per-round figures, and the baseline's from the same rounds.</summary>
    private sealed class Series
    {
        public List<double> Ours { get; } = [];
        public List<double> Baseline { get; } = [];

        public void Add(double ours, double? baseline)
        {
            Ours.Add(ours);
            if (baseline is { } b) Baseline.Add(b);
        }

        public double OursMedian => SampleSummary.Of(Ours).Median;
        public double? BaselineMedian => Baseline.Count == 0 ? null : SampleSummary.Of(Baseline).Median;

        public string RatioRange()
        {
            if (Baseline.Count != Ours.Count || Ours.Count == 0) return "";
            var ratios = Ours.Zip(Baseline, (o, b) => o / b).Order().ToList();
            return $"; per-round ratios {ratios[0]:0.00}x..{ratios[^1]:0.00}x over {ratios.Count} rounds";
        }
    }

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var quick = profile == BenchProfile.Quick;
        var bytes = quick ? 4L << 20 : 16L << 20;
        var rounds = quick ? 3 : 5;
        var payload = RandomNumberGenerator.GetBytes((int)bytes);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(payload));
        var unavailable = await JsScripts.LibwebrtcUnavailableReasonAsync("datachannel.js").ConfigureAwait(false);

        var oursThroughput = new Series();
        var oursCpu = new Series(); // CPU ms per MB, both ends in one process on each side of the comparison
        var toLibwebrtc = new Series();
        var fromLibwebrtc = new Series();
        var fromLibwebrtcCpu = new Series(); // our process's CPU ms per MB received; no baseline (node's figure is both ends)
        var oursRoundTrip = new Series();
        var mixedRoundTrip = new Series();
        SampleSummary? lastOursRtt = null, lastMixedRtt = null;
        var warmups = 0;

        var (offerer, answerer, sending, receiving) = await DataChannelLinks.OursToOursAsync().ConfigureAwait(false);
        await using (offerer)
        await using (answerer)
        {
            await using var mixed = unavailable is null ? await MixedLink.OpenAsync().ConfigureAwait(false) : null;
            warmups = await WarmUpAsync(sending, receiving, mixed, payload.AsMemory(0, payload.Length / 4)).ConfigureAwait(false);
            await using var node = unavailable is null ? await StartBaselineAsync(bytes).ConfigureAwait(false) : null;
            for (var round = 0; round < rounds; round++)
            {
                double? baseline = null, baselineCpu = null;
                if (node is not null)
                {
                    var reply = await node.RequestAsync("throughput", Patience).ConfigureAwait(false);
                    baseline = bytes / (reply["throughputMs"]!.GetValue<double>() / 1000) / 1e6;
                    baselineCpu = reply["cpuMs"]!.GetValue<double>() / (bytes / 1e6);
                }
                var (mbps, cpuMsPerMB) = await OursToOursTransferAsync(sending, receiving, payload, payloadHash).ConfigureAwait(false);
                oursThroughput.Add(mbps, baseline);
                oursCpu.Add(cpuMsPerMB, baselineCpu);
                if (mixed is not null)
                {
                    toLibwebrtc.Add(await mixed.OursToLibwebrtcAsync(payload, payloadHash).ConfigureAwait(false), baseline);
                    var (fromMBps, fromCpu) = await mixed.LibwebrtcToOursAsync(payload.Length).ConfigureAwait(false);
                    fromLibwebrtc.Add(fromMBps, baseline);
                    fromLibwebrtcCpu.Add(fromCpu, null);
                }

                double? baselineRtt = null;
                if (node is not null)
                {
                    var reply = await node.RequestAsync("roundtrip", Patience).ConfigureAwait(false);
                    baselineRtt = SampleSummary.Of(reply["rttMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToList()).Median;
                }
                lastOursRtt = await RoundTripsAsync(sending, EchoAsync(receiving, RoundTripWarmup + RoundTrips)).ConfigureAwait(false);
                oursRoundTrip.Add(lastOursRtt.Median, baselineRtt);
                if (mixed is not null)
                {
                    lastMixedRtt = await mixed.RoundTripsAsync().ConfigureAwait(false);
                    mixedRoundTrip.Add(lastMixedRtt.Median, baselineRtt);
                }
            }
        }
        var perConnection = await MemoryPerConnectionAsync().ConfigureAwait(false);

        var size = $"{bytes >> 20} MiB one way in {MessageSize >> 10} KiB messages, SHA-256 checked, after {warmups} untimed " +
            "rounds of a quarter of it each way (until the .NET JIT settled)";
        var missing = unavailable is null ? "" : $"; libwebrtc not measured ({unavailable})";
        var baselineName = unavailable is null ? BaselineName : "-";
        var echoes = $"median of per-round medians of {RoundTrips} echoes (after {RoundTripWarmup} untimed)";
        return
        [
            Result("throughput, ours<->ours", "MB/s", oursThroughput, baselineName, "context", null, size + missing),
            Result("CPU per MB, ours<->ours (both ends)", "ms/MB", oursCpu, baselineName, "context", null,
                "process CPU time during the timed transfer; both ends live in one process on each side, so this compares the stacks' cost, not the machine's load"),
            Result("throughput, ours->libwebrtc", "MB/s", toLibwebrtc, baselineName, ">= 0.8x", (o, b) => o >= 0.8 * b,
                "clock stops at the driver's hash reply (one JSON-line round trip to node included)" + missing),
            Result("throughput, libwebrtc->ours", "MB/s", fromLibwebrtc, baselineName, ">= 0.8x", (o, b) => o >= 0.8 * b,
                "the driver's sendStream (random bytes made as it sends, one JSON line to start it); clock stops at our last byte read" + missing),
            Result("CPU per MB, libwebrtc->ours (our end)", "ms/MB", fromLibwebrtcCpu, "-", "context", null,
                "this process's CPU time while receiving the libwebrtc->ours transfer: the cost of our receive path alone" + missing),
            Result("round trip 16 B echo, ours<->ours, median", "ms", oursRoundTrip, baselineName, "<= 1.2x", (o, b) => o <= 1.2 * b, echoes,
                RttDetails(lastOursRtt)),
            Result("round trip 16 B echo, ours<->libwebrtc, median", "ms", mixedRoundTrip, baselineName, "<= 1.2x", (o, b) => o <= 1.2 * b,
                echoes + "; the driver (echo command) sends each message straight back" + missing, RttDetails(lastMixedRtt)),
            new BenchResult(Name, "GC heap per open connection, ours<->ours", "KiB", perConnection / 1024.0, "-", null, "context", null,
                $"{MemoryConnections} connected pairs with an open channel each, GC.GetTotalMemory(true) before and after, per pair (both ends)"),
        ];
    }

    private static BenchResult Result(string metric, string unit, Series series, string baselineName, string target,
        Func<double, double, bool>? met, string note, IReadOnlyDictionary<string, double>? details = null)
    {
        if (series.Ours.Count == 0)
            return new BenchResult(Name, metric, unit, 0, baselineName, null, target, null, "not measured: " + note, details);
        var ours = series.OursMedian;
        var baseline = series.BaselineMedian;
        return new BenchResult(Name, metric, unit, ours, baselineName, baseline, target,
            met is null || baseline is null ? null : met(ours, baseline.Value), note + series.RatioRange(), details);
    }

    private static Dictionary<string, double>? RttDetails(SampleSummary? last) =>
        last is null ? null : new Dictionary<string, double> { ["lastRoundP90Ms"] = last.P90, ["lastRoundMinMs"] = last.Min, ["lastRoundMaxMs"] = last.Max };

    /// <summary>
    /// Sends <paramref name="payload"/> through the channel's stream; returns MB/s (10^6 bytes) once the far
    /// end read all of it, and the process CPU time per MB it took (both ends are in this process).
    /// </summary>
    private static async Task<(double MBps, double CpuMsPerMB)> OursToOursTransferAsync(IWebRtcDataChannel sending, IWebRtcDataChannel receiving,
        ReadOnlyMemory<byte> payload, string? expectedHash)
    {
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var read = ReadAndHashAsync(receiving.AsStream(), payload.Length);
        await WriteAllAsync(sending.AsStream(), payload).ConfigureAwait(false);
        var hash = await read.WaitAsync(Patience).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        self.Refresh();
        var cpuMs = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        if (expectedHash is not null && hash != expectedHash) throw new InvalidOperationException("ours<->ours: the received bytes hash differently");
        return (payload.Length / seconds / 1e6, cpuMs / (payload.Length / 1e6));
    }

    private static async Task<string> ReadAndHashAsync(Stream stream, long total)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        for (long read = 0; read < total;)
        {
            var count = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, total - read))).ConfigureAwait(false);
            if (count == 0) throw new EndOfStreamException($"The channel ended after {read} of {total} bytes.");
            hash.AppendData(buffer, 0, count);
            read += count;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task WriteAllAsync(Stream stream, ReadOnlyMemory<byte> bytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += MessageSize)
            await stream.WriteAsync(bytes.Slice(offset, Math.Min(MessageSize, bytes.Length - offset))).ConfigureAwait(false);
    }

    /// <summary>Times one message out and back at a time while <paramref name="echo"/> (the far end) sends each one back.</summary>
    private static async Task<SampleSummary> RoundTripsAsync(IWebRtcDataChannel sending, Task echo)
    {
        var message = RandomNumberGenerator.GetBytes(EchoSize);
        var samples = new List<double>(RoundTrips);
        for (var i = 0; i < RoundTripWarmup + RoundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await sending.SendAsync(message).ConfigureAwait(false);
            var reply = await sending.ReceiveAsync().AsTask().WaitAsync(Patience).ConfigureAwait(false)
                ?? throw new InvalidOperationException("the channel closed during the round trips");
            if (i >= RoundTripWarmup) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!reply.Data.Span.SequenceEqual(message)) throw new InvalidOperationException("the echo differs from the message");
        }
        await echo.WaitAsync(Patience).ConfigureAwait(false);
        return SampleSummary.Of(samples);
    }

    private static async Task EchoAsync(IWebRtcDataChannel channel, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var message = await channel.ReceiveAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("the channel closed during the echoes");
            await channel.SendAsync(message.Data).ConfigureAwait(false);
        }
    }

    /// <summary>GC heap growth per connected ours<->ours pair holding an open channel (one pair opened first, untimed, for one-off costs).</summary>
    private static async Task<double> MemoryPerConnectionAsync()
    {
        var pairs = new List<(PeerConnection, PeerConnection, IWebRtcDataChannel, IWebRtcDataChannel)>();
        try
        {
            pairs.Add(await DataChannelLinks.OursToOursAsync().ConfigureAwait(false));
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < MemoryConnections; i++) pairs.Add(await DataChannelLinks.OursToOursAsync().ConfigureAwait(false));
            var after = GC.GetTotalMemory(forceFullCollection: true);
            return (after - before) / (double)MemoryConnections;
        }
        finally
        {
            foreach (var (offerer, answerer, _, _) in pairs)
            {
                await offerer.DisposeAsync().ConfigureAwait(false);
                await answerer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The node baseline, connected and warmed up, answering "throughput" and "roundtrip" requests.</summary>
    private static async Task<ChildProcess> StartBaselineAsync(long bytes)
    {
        var node = ChildProcess.Start("node datachannel.js", JsScripts.Start("datachannel.js",
            [bytes.ToString(), MessageSize.ToString(), RoundTrips.ToString()], nodeModules: Path.Combine(WrtcPaths.Directory, "node_modules")));
        try
        {
            await node.ReadReplyAsync(Patience).ConfigureAwait(false); // {"ready":true}
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Untimed transfers of <paramref name="quarter"/>, ours to ours and, when libwebrtc is there, each way between ours and
    /// it, until a round compiles hardly any new method. Our stack is managed code that tiered compilation goes on
    /// optimizing for tens of megabytes (one such round left the first timed rounds at two to three times the steady CPU
    /// per MB), while libwebrtc is native: timed rounds compare steady states. Returns the rounds it took.
    /// </summary>
    private static async Task<int> WarmUpAsync(IWebRtcDataChannel sending, IWebRtcDataChannel receiving, MixedLink? mixed,
        ReadOnlyMemory<byte> quarter)
    {
        var quarterHash = Convert.ToHexStringLower(SHA256.HashData(quarter.Span));
        return await JitWarmup.UntilSettledAsync(async () =>
        {
            await OursToOursTransferAsync(sending, receiving, quarter, null).ConfigureAwait(false);
            if (mixed is not null)
            {
                await mixed.OursToLibwebrtcAsync(quarter, quarterHash).ConfigureAwait(false);
                await mixed.LibwebrtcToOursAsync(quarter.Length).ConfigureAwait(false);
            }
        }, maxBatches: MaxWarmups, settledCompiles: SettledCompiles).ConfigureAwait(false);
    }

    /// <summary>Our PeerConnection offering to libwebrtc (the TestSupport driver), one open channel.</summary>
    private sealed class MixedLink : IAsyncDisposable
    {
        private readonly WrtcPeer _libwebrtc;
        private readonly PeerConnection _ours;
        private readonly IWebRtcDataChannel _channel;
        private readonly Stream _stream;

        private MixedLink(WrtcPeer libwebrtc, PeerConnection ours, IWebRtcDataChannel channel)
        {
            _libwebrtc = libwebrtc;
            _ours = ours;
            _channel = channel;
            _stream = channel.AsStream();
        }

        public static async Task<MixedLink> OpenAsync()
        {
            var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Answerer).ConfigureAwait(false);
            var ours = new PeerConnection(DataChannelLinks.Options(initiator: true));
            try
            {
                return new MixedLink(libwebrtc, ours, await DataChannelLinks.OursToLibwebrtcAsync(ours, libwebrtc).ConfigureAwait(false));
            }
            catch
            {
                await ours.DisposeAsync().ConfigureAwait(false);
                await libwebrtc.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>Ours sends, the driver hashes (hashIncoming/waitHash); MB/s once its hash reply is in.</summary>
        public async Task<double> OursToLibwebrtcAsync(ReadOnlyMemory<byte> payload, string payloadHash)
        {
            await _libwebrtc.HashIncomingAsync().ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            await WriteAllAsync(_stream, payload).ConfigureAwait(false);
            var (theirHash, received, _) = await _libwebrtc.WaitForHashAsync(payload.Length, Patience).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (received != payload.Length || theirHash != payloadHash)
                throw new InvalidOperationException($"libwebrtc received {received} bytes hashing differently from the sent ones");
            return payload.Length / seconds / 1e6;
        }

        /// <summary>
        /// The driver sends <paramref name="bytes"/> random bytes (sendStream); MB/s once we have read them all, and
        /// this process's CPU time per MB meanwhile.
        /// </summary>
        public async Task<(double MBps, double CpuMsPerMB)> LibwebrtcToOursAsync(long bytes)
        {
            using var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            var read = ReadAndHashAsync(_stream, bytes);
            var sent = _libwebrtc.SendStreamAsync(bytes, MessageSize, Patience);
            var ourHash = await read.WaitAsync(Patience).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            self.Refresh();
            var cpuMs = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            if (await sent.ConfigureAwait(false) != ourHash)
                throw new InvalidOperationException("libwebrtc->ours: the received bytes hash differently from the sent ones");
            return (bytes / seconds / 1e6, cpuMs / (bytes / 1e6));
        }

        /// <summary>Echoes by the driver: switched on for the round trips, off again so transfers are hashed.</summary>
        public async Task<SampleSummary> RoundTripsAsync()
        {
            await _libwebrtc.EchoIncomingAsync().ConfigureAwait(false);
            var summary = await DataChannelBenchmark.RoundTripsAsync(_channel, Task.CompletedTask).ConfigureAwait(false);
            await _libwebrtc.EchoIncomingAsync(on: false).ConfigureAwait(false);
            return summary;
        }

        public async ValueTask DisposeAsync()
        {
            await _ours.DisposeAsync().ConfigureAwait(false);
            await _libwebrtc.DisposeAsync().ConfigureAwait(false);
        }
    }
}
