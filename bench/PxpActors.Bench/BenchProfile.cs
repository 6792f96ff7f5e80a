namespace PxpActors.Bench;

/// <summary>How much to measure: the full run stays near 3 minutes on 2 cores, --quick under a minute.</summary>
/// <param name="TransferWarmup">Length of the untimed transfer that warms each path up.</param>
/// <param name="TransferDuration">Length of one timed transfer (time-boxed, not a fixed size).</param>
/// <param name="TransferRepetitions">Timed transfers per path, alternating with the baseline, each judged against its neighbour.</param>
/// <param name="HandshakeSamples">Timed handshakes per implementation.</param>
/// <param name="HandshakeWarmup">Untimed handshakes before them, at least; more in batches until the .NET JIT has settled.</param>
/// <param name="HandshakeWarmupMax">Untimed handshakes at most, settled or not (the JIT here settles after some 10,000).</param>
/// <param name="MemoryPeers">Idle peers added to our hub between the two memory readings.</param>
/// <param name="MemoryWarmupPeers">Peers connected before the first reading, so one-off costs are not counted per peer.</param>
/// <param name="JsMemoryPeers">The same for the JS reference; 0 skips it (its figure from issue 2 is quoted instead).</param>
/// <param name="WebRtcHandshakeSamples">Timed WebRTC handshakes (offer to DTLS connected) per pair of implementations.</param>
/// <param name="WebRtcHandshakeWarmup">Untimed ours↔ours handshakes before them, at least; more in batches until the .NET JIT
/// has settled: BouncyCastle runs as tier-0/instrumented JIT code for hundreds of handshakes (ours↔ours 12-14 ms after 3,
/// 5-6 ms after 150, 3 ms settled).</param>
/// <param name="GetNewPeerSamples">Timed getNewPeer calls per implementation.</param>
/// <param name="GetNewPeerWarmup">Untimed getNewPeer calls before them, at least; more in batches of ten until the .NET JIT
/// has settled (the JS reference gets as many).</param>
/// <param name="GetNewPeerWarmupMax">Untimed getNewPeer calls at most, settled or not.</param>
public sealed record BenchProfile(
    string Name,
    TimeSpan TransferWarmup,
    TimeSpan TransferDuration,
    int TransferRepetitions,
    int HandshakeSamples,
    int HandshakeWarmup,
    int HandshakeWarmupMax,
    int MemoryPeers,
    int MemoryWarmupPeers,
    int JsMemoryPeers,
    int WebRtcHandshakeSamples,
    int WebRtcHandshakeWarmup,
    int GetNewPeerSamples,
    int GetNewPeerWarmup,
    int GetNewPeerWarmupMax)
{
    /// <summary>One application write, the same for every path.</summary>
    public const int WriteSize = 64 * 1024;

    // 2,000 JS peers rather than 10,000 keep the full run near 3 minutes; the table names the peer
    // count behind each per-peer figure.
    public static BenchProfile Full { get; } = new("full", TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(0.5), 20,
        HandshakeSamples: 200, HandshakeWarmup: 20, HandshakeWarmupMax: 20_000, MemoryPeers: 10_000, MemoryWarmupPeers: 200, JsMemoryPeers: 2_000,
        WebRtcHandshakeSamples: 60, WebRtcHandshakeWarmup: 150, GetNewPeerSamples: 40, GetNewPeerWarmup: 40, GetNewPeerWarmupMax: 1_000);

    public static BenchProfile Quick { get; } = new("quick", TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(0.25), 4,
        HandshakeSamples: 50, HandshakeWarmup: 10, HandshakeWarmupMax: 2_000, MemoryPeers: 1_000, MemoryWarmupPeers: 100, JsMemoryPeers: 500,
        WebRtcHandshakeSamples: 5, WebRtcHandshakeWarmup: 40, GetNewPeerSamples: 10, GetNewPeerWarmup: 10, GetNewPeerWarmupMax: 200);
}
