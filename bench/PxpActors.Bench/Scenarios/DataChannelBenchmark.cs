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
/// Open data channels on loopback (issue 4): one-way throughput (a fixed amount of random bytes made
/// before the clock starts, 64 KiB messages, SHA-256 checked at the far end) ours↔ours and
/// ours→libwebrtc; round trip of small echoed messages ours↔ours; GC heap per open ours↔ours
/// connection. The baseline is libwebrtc↔libwebrtc measured inside one node process (js/datachannel.js).
/// The libwebrtc driver has no echo command, so there is no ours↔libwebrtc round trip.
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

    private sealed record Baseline(double ThroughputMBps, SampleSummary RoundTrip);

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var bytes = profile == BenchProfile.Quick ? 4L << 20 : 16L << 20;
        var payload = RandomNumberGenerator.GetBytes((int)bytes);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(payload));

        var (offerer, answerer, sending, receiving) = await DataChannelLinks.OursToOursAsync().ConfigureAwait(false);
        double oursMBps;
        SampleSummary oursRoundTrip;
        await using (offerer)
        await using (answerer)
        {
            await OursToOursTransferAsync(sending, receiving, payload.AsMemory(0, payload.Length / 4), null).ConfigureAwait(false); // warm-up
            oursMBps = await OursToOursTransferAsync(sending, receiving, payload, payloadHash).ConfigureAwait(false);
            oursRoundTrip = await RoundTripsAsync(sending, receiving).ConfigureAwait(false);
        }
        var perConnection = await MemoryPerConnectionAsync().ConfigureAwait(false);

        var unavailable = await JsScripts.LibwebrtcUnavailableReasonAsync("datachannel.js").ConfigureAwait(false);
        double? mixedMBps = null;
        Baseline? baseline = null;
        if (unavailable is null)
        {
            mixedMBps = await OursToLibwebrtcAsync(payload, payloadHash).ConfigureAwait(false);
            baseline = await BaselineAsync(bytes).ConfigureAwait(false);
        }

        var size = $"{bytes >> 20} MiB one way in {MessageSize >> 10} KiB messages, SHA-256 checked, after an untimed quarter";
        var missing = unavailable is null ? "" : $"; libwebrtc not measured ({unavailable})";
        return
        [
            new BenchResult(Name, "throughput, ours<->ours", "MB/s", oursMBps, baseline is null ? "-" : BaselineName,
                baseline?.ThroughputMBps, "context", null, size + missing),
            new BenchResult(Name, "throughput, ours->libwebrtc", "MB/s", mixedMBps ?? 0, baseline is null ? "-" : BaselineName,
                baseline?.ThroughputMBps, ">= 0.8x", mixedMBps is null ? null : mixedMBps >= 0.8 * baseline!.ThroughputMBps,
                mixedMBps is null ? "not measured" + missing : "clock stops at the driver's hash reply (one JSON-line round trip to node included)"),
            new BenchResult(Name, "round trip 16 B echo, ours<->ours, median", "ms", oursRoundTrip.Median, baseline is null ? "-" : BaselineName,
                baseline?.RoundTrip.Median, "<= 1.2x", baseline is null ? null : oursRoundTrip.Median <= 1.2 * baseline.RoundTrip.Median,
                $"{RoundTrips} echoes after {RoundTripWarmup} untimed; ours<->libwebrtc not measured: the libwebrtc driver has no echo command",
                new Dictionary<string, double> { ["p90Ms"] = oursRoundTrip.P90, ["minMs"] = oursRoundTrip.Min, ["maxMs"] = oursRoundTrip.Max }),
            new BenchResult(Name, "GC heap per open connection, ours<->ours", "KiB", perConnection / 1024.0, "-", null, "context", null,
                $"{MemoryConnections} connected pairs with an open channel each, GC.GetTotalMemory(true) before and after, per pair (both ends)"),
        ];
    }

    /// <summary>Sends <paramref name="payload"/> through the channel's stream; returns MB/s (10^6 bytes) once the far end read all of it.</summary>
    private static async Task<double> OursToOursTransferAsync(IWebRtcDataChannel sending, IWebRtcDataChannel receiving, ReadOnlyMemory<byte> payload, string? expectedHash)
    {
        var start = Stopwatch.GetTimestamp();
        var read = ReadAndHashAsync(receiving.AsStream(), payload.Length);
        var writer = sending.AsStream();
        for (var offset = 0; offset < payload.Length; offset += MessageSize)
            await writer.WriteAsync(payload.Slice(offset, Math.Min(MessageSize, payload.Length - offset))).ConfigureAwait(false);
        var hash = await read.WaitAsync(Patience).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (expectedHash is not null && hash != expectedHash) throw new InvalidOperationException("ours<->ours: the received bytes hash differently");
        return payload.Length / seconds / 1e6;
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

    /// <summary>Echoes on the receiving end while the sending end times one message out and back at a time.</summary>
    private static async Task<SampleSummary> RoundTripsAsync(IWebRtcDataChannel sending, IWebRtcDataChannel receiving)
    {
        var echo = EchoAsync(receiving, RoundTripWarmup + RoundTrips);
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

    private static async Task<double> OursToLibwebrtcAsync(byte[] payload, string payloadHash)
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Answerer).ConfigureAwait(false);
        await using var ours = new PeerConnection(DataChannelLinks.Options(initiator: true));
        var channel = await DataChannelLinks.OursToLibwebrtcAsync(ours, libwebrtc).ConfigureAwait(false);
        var stream = channel.AsStream();
        // Each hashIncoming session ends with its waitHash reply: an untimed quarter first, then the timed payload.
        await libwebrtc.HashIncomingAsync().ConfigureAwait(false);
        await WriteAllAsync(stream, payload.AsMemory(0, payload.Length / 4)).ConfigureAwait(false);
        await libwebrtc.WaitForHashAsync(payload.Length / 4, Patience).ConfigureAwait(false);
        await libwebrtc.HashIncomingAsync().ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        await WriteAllAsync(stream, payload).ConfigureAwait(false);
        var (theirHash, received, _) = await libwebrtc.WaitForHashAsync(payload.Length, Patience).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (received != payload.Length || theirHash != payloadHash)
            throw new InvalidOperationException($"libwebrtc received {received} bytes hashing differently from the sent ones");
        return payload.Length / seconds / 1e6;
    }

    private static async Task WriteAllAsync(Stream stream, ReadOnlyMemory<byte> bytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += MessageSize)
            await stream.WriteAsync(bytes.Slice(offset, Math.Min(MessageSize, bytes.Length - offset))).ConfigureAwait(false);
    }

    private static async Task<Baseline> BaselineAsync(long bytes)
    {
        await using var node = ChildProcess.Start("node datachannel.js", JsScripts.Start("datachannel.js",
            [bytes.ToString(), MessageSize.ToString(), RoundTrips.ToString()], nodeModules: Path.Combine(WrtcPaths.Directory, "node_modules")));
        var reply = await node.ReadReplyAsync(Patience).ConfigureAwait(false);
        var ms = reply["throughputMs"]!.GetValue<double>();
        var rtt = reply["rttMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToList();
        return new Baseline(bytes / (ms / 1000) / 1e6, SampleSummary.Of(rtt));
    }
}
