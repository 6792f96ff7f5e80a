using System.Diagnostics;
using PxpActors.Bench.Measurement;
using PxpActors.Bench.Processes;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Topologies;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// PXP over WebSocket (ws:// on loopback: Kestrel and ClientWebSocket, binary messages). Application-stream throughput
/// against PXP/TCP in the same run: same 64 KiB writes, same time box, alternating runs judged in pairs. Next to it the
/// JS reference over websocket-stream (two reference nodes in one node process, the same writes and time box), and
/// handshake latency over ws:// (from the connect call to the application connection), ours against the reference's.
/// </summary>
public static class WebSocketBenchmark
{
    public const string Name = "websocket";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    // The script gets this long for everything, then exits with an error; the bench waits a little longer for its reply.
    private static readonly TimeSpan JsLimit = TimeSpan.FromSeconds(150);

    private sealed record JsFigures(List<double> MegabytesPerSecond, List<double> HandshakeMs);

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var results = new List<BenchResult>();
        List<TransferRate> wsRuns;
        await using (var tcp = await PxpTcpPair.OpenAsync().ConfigureAwait(false))
        await using (var ws = await PxpTcpPair.OpenAsync(listen: "ws://127.0.0.1:0/pxp", transport: "ws").ConfigureAwait(false))
        {
            var (tcpRuns, runs) = await AlternatingRuns.MeasureAsync(
                warmup => ThroughputBenchmark.Transfer(tcp.Streams, profile, warmup),
                warmup => ThroughputBenchmark.Transfer(ws.Streams, profile, warmup),
                profile.TransferRepetitions).ConfigureAwait(false);
            wsRuns = runs;
            results.AddRange(ThroughputBenchmark.Results(Name, "PXP/WebSocket app stream", "PXP/TCP app stream", 0.5, tcpRuns, wsRuns,
                profile, null));
        }
        var oursHandshake = SampleSummary.Of(await MeasureHandshakesAsync(profile).ConfigureAwait(false));
        var jsUnavailable = await JsScripts.UnavailableReasonAsync().ConfigureAwait(false);
        var js = jsUnavailable is null ? await MeasureJsAsync(profile).ConfigureAwait(false) : null;
        var oursRate = SampleSummary.Of(wsRuns.Select(r => r.MegabytesPerSecond).ToList());
        var handshakeNote = $"{profile.HandshakeSamples} sequential connects over ws:// after {HandshakeWarmup(profile)} untimed, kept open";
        if (js is null)
        {
            results.Add(new BenchResult(Name, "connect -> app connection over ws, median", "ms", oursHandshake.Median, "-", null, "-", null,
                $"{handshakeNote}; JS reference not measured ({jsUnavailable})"));
            return results;
        }
        var jsRate = SampleSummary.Of(js.MegabytesPerSecond);
        var jsHandshake = SampleSummary.Of(js.HandshakeMs);
        results.Add(new BenchResult(Name, "PXP/WebSocket app stream vs JS ref, median", "MB/s", oursRate.Median, "JS ref, websocket-stream",
            jsRate.Median, "-", null,
            $"context: the JS reference node to node over websocket-stream@3 in one node process, {js.MegabytesPerSecond.Count} runs " +
            $"of {profile.TransferDuration.TotalSeconds:0.0#} s, 64 KiB writes ({jsRate.Min:0.#}-{jsRate.Max:0.#} MB/s)"));
        results.Add(new BenchResult(Name, "connect -> app connection over ws, median", "ms", oursHandshake.Median, "JS ref, websocket-stream",
            jsHandshake.Median, "< JS", oursHandshake.Median < jsHandshake.Median, handshakeNote));
        results.Add(new BenchResult(Name, "connect -> app connection over ws, p99", "ms", oursHandshake.P99, "JS ref, websocket-stream",
            jsHandshake.P99, "-", null, handshakeNote));
        return results;
    }

    private static int HandshakeWarmup(BenchProfile profile) => profile.HandshakeWarmup * 10;

    /// <summary>Our handshakes over ws:// on loopback, one at a time, each session kept open until the end.</summary>
    private static async Task<List<double>> MeasureHandshakesAsync(BenchProfile profile)
    {
        var server = new PeerExchange("bench");
        var client = new PeerExchange("bench");
        try
        {
            var address = await server.ListenAsync(new Uri("ws://127.0.0.1:0/pxp")).ConfigureAwait(false);
            for (var i = 0; i < HandshakeWarmup(profile); i++) await client.ConnectAsync(address).WaitAsync(StepTimeout).ConfigureAwait(false);
            var samples = new List<double>(profile.HandshakeSamples);
            for (var i = 0; i < profile.HandshakeSamples; i++)
            {
                var clock = Stopwatch.StartNew();
                await client.ConnectAsync(address).WaitAsync(StepTimeout).ConfigureAwait(false);
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
            return samples;
        }
        finally
        {
            await client.CloseAsync().ConfigureAwait(false);
            await server.CloseAsync().ConfigureAwait(false);
        }
    }

    private static async Task<JsFigures> MeasureJsAsync(BenchProfile profile)
    {
        await using var node = ChildProcess.Start("node websocket.js", JsScripts.Start("websocket.js",
        [
            profile.TransferRepetitions.ToString(), profile.TransferDuration.TotalMilliseconds.ToString("0"),
            profile.TransferWarmup.TotalMilliseconds.ToString("0"), profile.HandshakeSamples.ToString(),
            HandshakeWarmup(profile).ToString(), JsLimit.TotalSeconds.ToString("0"),
        ]));
        var reply = await node.ReadReplyAsync(JsLimit + TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        return new JsFigures(reply["mbPerSecond"]!.AsArray().Select(n => n!.GetValue<double>()).ToList(),
            reply["handshakeMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToList());
    }
}
