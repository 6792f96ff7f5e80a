using PxpActors.Bench.Measurement;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Topologies;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Application-stream throughput over PXP/WebSocket (ws:// on loopback: Kestrel and ClientWebSocket, binary messages)
/// against PXP/TCP in the same run: same 64 KiB writes, same time box, alternating runs judged in pairs.
/// </summary>
public static class WebSocketBenchmark
{
    public const string Name = "websocket";

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        await using var tcp = await PxpTcpPair.OpenAsync().ConfigureAwait(false);
        await using var ws = await PxpTcpPair.OpenAsync(listen: "ws://127.0.0.1:0/pxp", transport: "ws").ConfigureAwait(false);
        var (tcpRuns, wsRuns) = await AlternatingRuns.MeasureAsync(
            warmup => ThroughputBenchmark.Transfer(tcp.Streams, profile, warmup),
            warmup => ThroughputBenchmark.Transfer(ws.Streams, profile, warmup),
            profile.TransferRepetitions).ConfigureAwait(false);
        return ThroughputBenchmark.Results(Name, "PXP/WebSocket app stream", "PXP/TCP app stream", 0.5, tcpRuns, wsRuns, profile, null);
    }
}
