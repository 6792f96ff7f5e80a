using System.Diagnostics;
using PxpActors.Bench.Measurement;
using PxpActors.Bench.Processes;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Topologies;
using PxpActors.TestSupport.JsReference;
using PxpActors.TestSupport.Wrtc;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Sdp;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// WebRTC connection set-up on loopback: from the offer until both ends have DTLS connected (our
/// DtlsConnection returned; libwebrtc's connectionState "connected"). Pairs: ours↔ours,
/// ours (offer)↔libwebrtc and libwebrtc (offer)↔ours, each set against libwebrtc↔libwebrtc timed inside
/// one node process (js/webrtc-handshake.js). Each handshake gets fresh peers, created before the clock
/// starts (sockets bound, certificates made); a mixed pair's libwebrtc peer lives in one driver process
/// for the whole run, renewed before each handshake, so its libwebrtc is as warm as the baseline's; SDP travels as text carrying the candidates each side has gathered
/// (ours all, as our peer connection does; libwebrtc's as far as it got), the others trickle. The pairs take
/// turns, one handshake each per round in a rotating order, so a busy moment of the shared machine
/// falls on all of them alike.
/// </summary>
public static class WebRtcHandshakeBenchmark
{
    public const string Name = "webrtc-handshake";
    private const string BaselineName = "libwebrtc<->libwebrtc";
    private const int PipeRoundTrips = 50;

    // The pairs with libwebrtc run code the ours<->ours warm-up already warmed; a few untimed handshakes
    // each warm the rest (their driver process, its libwebrtc, our side of their signaling), as the node
    // script warms the baseline, and go on in batches while our JIT still compiles.
    private const int LibwebrtcPairWarmup = 2;
    private const int OursWarmupBatch = 50;
    private const int LibwebrtcWarmupBatch = 5;

    // Tiered compilation goes on promoting BouncyCastle's hot code for several hundred handshakes (a
    // batch then still compiles a few hundred methods, and the median is nearly twice the settled one);
    // a long-running node is past that, so timing starts when three batches in a row compiled nothing, or at these caps.
    private const int MaxOursWarmup = 2_000;
    private const int MaxLibwebrtcWarmup = 60;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <param name="TotalMs">Offer until both ends have DTLS connected.</param>
    /// <param name="IceMs">Offer until our (offering, if both are ours) ICE agent handed over its path; null without ours.</param>
    /// <param name="SdpMs">
    /// Offer until both ends have applied both descriptions: libwebrtc's own SDP work plus, in the mixed pairs,
    /// the JSON-line round trips that carry it. What follows is connectivity (ICE and DTLS) alone.
    /// </param>
    /// <param name="CpuMs">CPU time of the process holding both ends over that span; null when the ends are in two processes.</param>
    private sealed record HandshakeTiming(double TotalMs, double? IceMs, double SdpMs, double? CpuMs = null);

    /// <summary>Two implementations meeting, and the handshakes timed between them so far.</summary>
    private sealed class Pair(string name, Func<Task<HandshakeTiming>> handshake, int warmup, int warmupBatch = 1, int maxWarmup = 0)
    {
        public string Name => name;

        public Func<Task<HandshakeTiming>> Handshake => handshake;

        /// <summary>
        /// Untimed handshakes before the timed ones, at least; then more, in batches, until a batch compiled no
        /// new method. 0 when the timing side warms itself up (the node script does).
        /// </summary>
        public int Warmup => warmup;

        public int WarmupBatch => warmupBatch;

        public int MaxWarmup => Math.Max(warmup, maxWarmup);

        /// <summary>Untimed handshakes done before timing began.</summary>
        public int WarmedUp { get; set; }

        public List<HandshakeTiming> Timings { get; } = [];

        public SampleSummary Total => SampleSummary.Of(Timings.Select(t => t.TotalMs).ToList());

        public SampleSummary? Ice => Timings.All(t => t.IceMs is not null) ? SampleSummary.Of(Timings.Select(t => t.IceMs!.Value).ToList()) : null;

        /// <summary>What follows ICE on our side: the DTLS handshake and, with libwebrtc, its report of it.</summary>
        public SampleSummary? AfterIce =>
            Timings.All(t => t.IceMs is not null) ? SampleSummary.Of(Timings.Select(t => t.TotalMs - t.IceMs!.Value).ToList()) : null;

        public SampleSummary Sdp => SampleSummary.Of(Timings.Select(t => t.SdpMs).ToList());

        /// <summary>Descriptions applied until both ends DTLS connected: the part both implementations spend on connectivity.</summary>
        public SampleSummary AfterSdp => SampleSummary.Of(Timings.Select(t => t.TotalMs - t.SdpMs).ToList());

        /// <summary>Mean CPU time per handshake (a mean, since .NET reads process CPU time in 10 ms ticks on Linux).</summary>
        public double? CpuMsPerHandshake => Timings.All(t => t.CpuMs is not null) ? Timings.Average(t => t.CpuMs!.Value) : null;
    }

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var oursToOurs = new Pair("ours<->ours", OursToOursAsync, profile.WebRtcHandshakeWarmup, OursWarmupBatch, MaxOursWarmup);
        string Samples(IEnumerable<Pair> pairs) =>
            $"{profile.WebRtcHandshakeSamples} handshakes per pair, fresh peers each, pairs taking turns; untimed before, until the .NET JIT " +
            "settled: " + string.Join(", ", pairs.Select(p => $"{p.WarmedUp} {p.Name}"));
        var libwebrtcUnavailable = await JsScripts.LibwebrtcUnavailableReasonAsync("webrtc-handshake.js").ConfigureAwait(false);
        if (libwebrtcUnavailable is not null)
        {
            await MeasureInTurnsAsync(profile, [oursToOurs]).ConfigureAwait(false);
            return
            [
                Median(oursToOurs, null, $"libwebrtc not measured ({libwebrtcUnavailable}); {Samples([oursToOurs])}"),
                P90(oursToOurs, null),
            ];
        }

        await using var node = ChildProcess.Start("node webrtc-handshake.js", JsScripts.Start("webrtc-handshake.js",
            [LibwebrtcPairWarmup.ToString()], nodeModules: Path.Combine(WrtcPaths.Directory, "node_modules")));
        await node.ReadReplyAsync(TimeSpan.FromSeconds(120)).ConfigureAwait(false); // its warm-up is done
        var baseline = new Pair(BaselineName, () => BaselineHandshakeAsync(node), warmup: 0);
        await using var answeringDriver = await WrtcPeer.StartAsync(WrtcRole.Answerer).ConfigureAwait(false);
        await using var offeringDriver = await WrtcPeer.StartAsync(WrtcRole.Offerer).ConfigureAwait(false);
        var oursOffers = new Pair("ours offer<->libwebrtc", () => OursOfferToLibwebrtcAsync(answeringDriver), LibwebrtcPairWarmup,
            LibwebrtcWarmupBatch, MaxLibwebrtcWarmup);
        var libwebrtcOffers = new Pair("libwebrtc offer<->ours", () => LibwebrtcOfferToOursAsync(offeringDriver), LibwebrtcPairWarmup,
            LibwebrtcWarmupBatch, MaxLibwebrtcWarmup);
        await MeasureInTurnsAsync(profile, [baseline, oursToOurs, oursOffers, libwebrtcOffers]).ConfigureAwait(false);
        var pipe = await MeasurePipeRoundTripAsync(node).ConfigureAwait(false);

        var baselineTotal = baseline.Total;
        var ipcNote = "the clock includes the JSON-line round trips to the node driver of the libwebrtc side " +
            $"(a bare one: {pipe.Median:0.00} ms median)";
        return
        [
            Median(oursToOurs, baselineTotal, Samples([oursToOurs, oursOffers, libwebrtcOffers])),
            P90(oursToOurs, baselineTotal),
            Median(oursOffers, baselineTotal, ipcNote),
            P90(oursOffers, baselineTotal),
            Median(libwebrtcOffers, baselineTotal, ipcNote),
            P90(libwebrtcOffers, baselineTotal),
            new BenchResult(Name, $"offer -> DTLS connected, {BaselineName}, p90", "ms", baselineTotal.P90, BaselineName,
                baselineTotal.Median, "-", null, "context: the baseline's own spread (timed inside node, js/webrtc-handshake.js); " +
                $"offer -> both descriptions applied {baseline.Sdp.Median:0.0} ms, then -> both DTLS connected {baseline.AfterSdp.Median:0.0} ms (medians)",
                Details(baselineTotal, null, pair: baseline)),
            new BenchResult(Name, "CPU per handshake (both ends), ours<->ours", "ms", oursToOurs.CpuMsPerHandshake!.Value, BaselineName,
                baseline.CpuMsPerHandshake, "-", null,
                "context: process CPU time from offer to DTLS connected, mean; a loaded machine stretches it far less than latency"),
        ];
    }

    /// <summary>Warm-ups first, then rounds of one handshake per pair, each round starting one pair later.</summary>
    private static async Task MeasureInTurnsAsync(BenchProfile profile, IReadOnlyList<Pair> pairs)
    {
        foreach (var pair in pairs) await WarmUpAsync(pair).ConfigureAwait(false);
        for (var round = 0; round < profile.WebRtcHandshakeSamples; round++)
        {
            for (var turn = 0; turn < pairs.Count; turn++)
            {
                var pair = pairs[(round + turn) % pairs.Count];
                pair.Timings.Add(await pair.Handshake().ConfigureAwait(false));
            }
        }
    }

    /// <summary>The pair's minimum of untimed handshakes, then batches of them until one compiled no new method.</summary>
    private static async Task WarmUpAsync(Pair pair)
    {
        while (pair.WarmedUp < pair.Warmup)
        {
            await pair.Handshake().ConfigureAwait(false);
            pair.WarmedUp++;
        }
        if (pair.Warmup == 0 || pair.WarmedUp >= pair.MaxWarmup) return;
        await JitWarmup.UntilSettledAsync(async () =>
        {
            for (var i = 0; i < pair.WarmupBatch; i++) await pair.Handshake().ConfigureAwait(false);
            pair.WarmedUp += pair.WarmupBatch;
        }, maxBatches: (pair.MaxWarmup - pair.WarmedUp + pair.WarmupBatch - 1) / pair.WarmupBatch).ConfigureAwait(false);
    }

    /// <summary>The target line: our median against the baseline's, met at a ratio of at most 1.</summary>
    private static BenchResult Median(Pair ours, SampleSummary? baseline, string note)
    {
        var total = ours.Total;
        var ice = ours.Ice;
        var afterIce = ours.AfterIce;
        var split = ice is null || afterIce is null ? ""
            : $"; medians of its parts: offer -> our ICE path nominated {ice.Median:0.0} ms, then -> both DTLS connected {afterIce.Median:0.0} ms";
        split += $"; offer -> both descriptions applied {ours.Sdp.Median:0.0} ms, then -> both DTLS connected {ours.AfterSdp.Median:0.0} ms";
        return new BenchResult(Name, $"offer -> DTLS connected, {ours.Name}, median", "ms", total.Median,
            baseline is null ? "-" : BaselineName, baseline?.Median, "<= 1.0x", baseline is null ? null : total.Median <= baseline.Median,
            note + split, Details(total, ice, afterIce, ours));
    }

    /// <summary>Context line: our p90, set against the baseline's median too.</summary>
    private static BenchResult P90(Pair ours, SampleSummary? baseline) =>
        new(Name, $"offer -> DTLS connected, {ours.Name}, p90", "ms", ours.Total.P90, baseline is null ? "-" : BaselineName,
            baseline?.Median, "-", null, "p90 set against the baseline's median", Details(ours.Total, ours.Ice, ours.AfterIce));

    private static Dictionary<string, double> Details(SampleSummary total, SampleSummary? ice, SampleSummary? afterIce = null, Pair? pair = null)
    {
        var details = new Dictionary<string, double>
        {
            ["samples"] = total.Count, ["medianMs"] = total.Median, ["p90Ms"] = total.P90, ["minMs"] = total.Min, ["maxMs"] = total.Max,
        };
        if (ice is not null)
        {
            details["iceMedianMs"] = ice.Median;
            details["iceP90Ms"] = ice.P90;
        }
        if (afterIce is not null)
        {
            details["afterIceMedianMs"] = afterIce.Median;
            details["afterIceP90Ms"] = afterIce.P90;
        }
        if (pair is not null)
        {
            details["sdpMedianMs"] = pair.Sdp.Median;
            details["afterSdpMedianMs"] = pair.AfterSdp.Median;
        }
        return details;
    }

    private static HandshakeTiming Timing(long offerTimestamp, LoopbackWebRtcPeer ours, long descriptionsAppliedTimestamp) =>
        new(Stopwatch.GetElapsedTime(offerTimestamp).TotalMilliseconds,
            Stopwatch.GetElapsedTime(offerTimestamp, ours.IceConnectedTimestamp).TotalMilliseconds,
            Stopwatch.GetElapsedTime(offerTimestamp, descriptionsAppliedTimestamp).TotalMilliseconds);

    private static async Task<HandshakeTiming> BaselineHandshakeAsync(ChildProcess node)
    {
        var reply = await node.RequestAsync("handshake", Patience + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return new HandshakeTiming(reply["ms"]!.GetValue<double>(), null, reply["sdpMs"]!.GetValue<double>(), reply["cpuMs"]!.GetValue<double>());
    }

    /// <summary>What one JSON line to node and its reply cost, the overhead the libwebrtc driver adds to each command.</summary>
    private static async Task<SampleSummary> MeasurePipeRoundTripAsync(ChildProcess node)
    {
        var samples = new List<double>(PipeRoundTrips);
        for (var i = 0; i < PipeRoundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await node.RequestAsync("ping", Patience).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return SampleSummary.Of(samples);
    }

    private static async Task<HandshakeTiming> OursToOursAsync()
    {
        await using var offerer = await LoopbackWebRtcPeer.StartAsync(IceRole.Controlling).ConfigureAwait(false);
        await using var answerer = await LoopbackWebRtcPeer.StartAsync(IceRole.Controlled).ConfigureAwait(false);

        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var offerTimestamp = Stopwatch.GetTimestamp();
        var offer = SessionDescription.Parse(offerer.CreateOffer().ToString());
        var answer = SessionDescription.Parse(answerer.CreateAnswer(offer).ToString());
        offerer.ApplyRemote(answer);
        var descriptionsApplied = Stopwatch.GetTimestamp();
        var mid = offer.GetDataChannel().Mid!;
        foreach (var candidate in offerer.LocalCandidates(mid)) answerer.AddRemoteCandidate(candidate);
        foreach (var candidate in answerer.LocalCandidates(mid)) offerer.AddRemoteCandidate(candidate);
        offerer.AddRemoteEndOfCandidates();
        answerer.AddRemoteEndOfCandidates();
        // Signaling is synchronous here, so connecting starts after it, with the first checks already sent.
        var answeredSetup = answer.GetDataChannel().Setup;
        await Task.WhenAll(
            offerer.ConnectAsync(DtlsRoleNegotiation.OffererRole(answeredSetup)),
            answerer.ConnectAsync(DtlsRoleNegotiation.RoleOf(answeredSetup))).WaitAsync(Patience).ConfigureAwait(false);
        var timing = Timing(offerTimestamp, offerer, descriptionsApplied);
        self.Refresh();
        return timing with { CpuMs = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds };
    }

    private static async Task<HandshakeTiming> OursOfferToLibwebrtcAsync(WrtcPeer libwebrtc)
    {
        await libwebrtc.RenewAsync(WrtcRole.Answerer).ConfigureAwait(false);
        await using var ours = await LoopbackWebRtcPeer.StartAsync(IceRole.Controlling).ConfigureAwait(false);

        var offerTimestamp = Stopwatch.GetTimestamp();
        var offer = ours.CreateOffer();
        await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Offer, offer.ToString()).ConfigureAwait(false);
        var answer = SessionDescription.Parse(await libwebrtc.CreateAnswerAsync().ConfigureAwait(false));
        ours.ApplyRemote(answer);
        var descriptionsApplied = Stopwatch.GetTimestamp();
        var oursConnected = ours.ConnectAsync(DtlsRoleNegotiation.OffererRole(answer.GetDataChannel().Setup));
        var libwebrtcCandidates = TrickleToOursAsync(libwebrtc, ours);
        foreach (var candidate in ours.LocalCandidates(offer.GetDataChannel().Mid!))
            await libwebrtc.AddIceCandidateAsync(candidate).ConfigureAwait(false);
        await BothConnectedAsync(oursConnected, libwebrtc).ConfigureAwait(false);
        var timing = Timing(offerTimestamp, ours, descriptionsApplied);
        await libwebrtcCandidates.WaitAsync(Patience).ConfigureAwait(false);
        return timing;
    }

    private static async Task<HandshakeTiming> LibwebrtcOfferToOursAsync(WrtcPeer libwebrtc)
    {
        await libwebrtc.RenewAsync(WrtcRole.Offerer).ConfigureAwait(false);
        await using var ours = await LoopbackWebRtcPeer.StartAsync(IceRole.Controlled).ConfigureAwait(false);

        var offerTimestamp = Stopwatch.GetTimestamp();
        var offer = SessionDescription.Parse(await libwebrtc.CreateOfferAsync().ConfigureAwait(false));
        var answer = ours.CreateAnswer(offer);
        // The answer goes out first and we connect while it travels, as our peer connection publishes it first.
        var answerApplied = libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Answer, answer.ToString());
        var oursConnected = ours.ConnectAsync(DtlsRoleNegotiation.RoleOf(answer.GetDataChannel().Setup));
        await answerApplied.ConfigureAwait(false);
        var descriptionsApplied = Stopwatch.GetTimestamp();
        var libwebrtcCandidates = TrickleToOursAsync(libwebrtc, ours);
        foreach (var candidate in ours.LocalCandidates(answer.GetDataChannel().Mid!))
            await libwebrtc.AddIceCandidateAsync(candidate).ConfigureAwait(false);
        await BothConnectedAsync(oursConnected, libwebrtc).ConfigureAwait(false);
        var timing = Timing(offerTimestamp, ours, descriptionsApplied);
        await libwebrtcCandidates.WaitAsync(Patience).ConfigureAwait(false);
        return timing;
    }

    /// <summary>libwebrtc's candidates as it gathers them (concurrently with our connect), then end-of-candidates.</summary>
    private static async Task TrickleToOursAsync(WrtcPeer libwebrtc, LoopbackWebRtcPeer ours)
    {
        var received = 0;
        while (await libwebrtc.NextCandidateAsync(received, Patience).ConfigureAwait(false) is { } candidate)
        {
            received++;
            ours.AddRemoteCandidate(candidate);
        }
        ours.AddRemoteEndOfCandidates();
    }

    private static async Task BothConnectedAsync(Task oursConnected, WrtcPeer libwebrtc)
    {
        var libwebrtcState = libwebrtc.WaitForConnectionStateAsync(Patience, "connected", "failed");
        await Task.WhenAll(oursConnected, libwebrtcState).WaitAsync(Patience).ConfigureAwait(false);
        if (await libwebrtcState.ConfigureAwait(false) != "connected")
            throw new InvalidOperationException($"libwebrtc's connection failed:\n{libwebrtc.StderrTail}");
    }
}
