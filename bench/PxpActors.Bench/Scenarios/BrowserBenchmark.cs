using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using PxpActors.Actors;
using PxpActors.Bench.Measurement;
using PxpActors.Bench.Reporting;
using PxpActors.TestSupport.Browser;
using PxpActors.TestSupport.JsReference;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Browsers and our node (issue 17), on loopback in one headless Chromium (plain candidates): the reference's browser
/// build in a page and our node, both joined to our hub over ws://. getNewPeer latency page -> ours (timed in the page)
/// and ours -> page (timed here), each connection closed before the next call; then one-way throughput over an
/// upgraded connection, each way. The baseline is Chromium <-> Chromium in the same run: two pages through the same hub.
/// </summary>
public static class BrowserBenchmark
{
    public const string Name = "browser";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        if ((ChromiumBrowser.MissingReason ?? NodeTool.MissingReason) is { } missing)
            throw new InvalidOperationException($"not measured: {missing}");
        var samples = Math.Max(5, profile.GetNewPeerSamples / 2);
        var warmup = Math.Max(2, profile.GetNewPeerWarmup / 4);
        await using var site = await ReferencePage.ServeAsync().ConfigureAwait(false);
        await using var browser = await ChromiumBrowser.StartAsync(ChromiumMode.Plain).ConfigureAwait(false);
        await using var hub = new PeerExchange("bench");
        var address = await hub.ListenAsync(new Uri("ws://127.0.0.1:0/")).ConfigureAwait(false);

        var page = await BrowserNode.OpenAsync(browser, site.BaseAddress, "bench").ConfigureAwait(false);
        await page.ConnectAsync(address).ConfigureAwait(false);
        List<double> pageToOurs, oursToPage;
        double pageToOursRate, oursToPageRate;
        await using (var ours = new PeerExchange("bench", new PeerExchangeOptions { WebRtcOptions = new PeerConnectionOptions { IncludeLoopback = true } }))
        {
            var incoming = Channel.CreateUnbounded<PxpConnection>();
            var removed = Channel.CreateUnbounded<PeerInfo>();
            ours.Connected += c =>
            {
                if (c.Transport == "webrtc") incoming.Writer.TryWrite(c);
            };
            ours.PeerRemoved += (p, _) =>
            {
                if (p.Transport == "webrtc") removed.Writer.TryWrite(p);
            };
            await ours.AddPeerAsync(address).ConfigureAwait(false);
            var pageDisconnects = 0;

            async Task CloseAsync(PeerInfo peer)
            {
                await Within(ours.DisconnectAsync(peer), "our disconnect").ConfigureAwait(false);
                await Within(removed.Reader.ReadAsync().AsTask(), "our webrtc peer to be removed").ConfigureAwait(false);
                await page.WaitForCountAsync("disconnect", e => (string?)e["transport"] == "webrtc", ++pageDisconnects, "the page's webrtc peer to close")
                    .ConfigureAwait(false);
            }

            async Task<double> PageToOursAsync()
            {
                var timed = (await page.Page.EvaluateAsync("pxp.timedGetNewPeer()", Patience).ConfigureAwait(false))!;
                var connection = await Within(incoming.Reader.ReadAsync().AsTask(), "our incoming webrtc connection").ConfigureAwait(false);
                await CloseAsync(connection.Peer!).ConfigureAwait(false);
                return (double)timed["ms"]!;
            }

            var pageConnects = 0;
            async Task<double> OursToPageAsync()
            {
                var clock = Stopwatch.StartNew();
                var connection = await Within(ours.GetNewPeerAsync(), "our getNewPeer").ConfigureAwait(false);
                var ms = clock.Elapsed.TotalMilliseconds;
                await page.WaitForCountAsync("connect", e => (string?)e["transport"] == "webrtc" && (bool?)e["incoming"] == true, ++pageConnects,
                    "the page's incoming webrtc connection").ConfigureAwait(false);
                await CloseAsync(connection.Peer!).ConfigureAwait(false);
                return ms;
            }

            pageToOurs = await SampleAsync("getNewPeer page -> ours", PageToOursAsync, warmup, samples).ConfigureAwait(false);
            oursToPage = await SampleAsync("getNewPeer ours -> page", OursToPageAsync, warmup, samples).ConfigureAwait(false);

            var ourSide = await Within(ours.GetNewPeerAsync(), "our getNewPeer for the transfer").ConfigureAwait(false);
            await page.WaitForCountAsync("connect", e => (string?)e["transport"] == "webrtc" && (bool?)e["incoming"] == true, ++pageConnects,
                "the page's end of the transfer connection").ConfigureAwait(false);
            var pageSide = LastConnection(page);
            await using var stream = ourSide.OpenStream();
            oursToPageRate = await PageReceivesAsync(page, pageSide, stream, profile).ConfigureAwait(false);
            pageToOursRate = await PageSendsAsync(page, pageSide, stream, profile).ConfigureAwait(false);
        }

        // The baseline: a second page joins, and the first one meets it (our node has left the hub).
        await using var other = await BrowserNode.OpenAsync(browser, site.BaseAddress, "bench").ConfigureAwait(false);
        await other.ConnectAsync(address).ConfigureAwait(false);
        var otherConnects = 0;
        var pageDisconnectsBaseline = Events(page, "disconnect", "webrtc");
        async Task<double> PageToPageAsync()
        {
            var timed = (await page.Page.EvaluateAsync("pxp.timedGetNewPeer()", Patience).ConfigureAwait(false))!;
            await other.WaitForCountAsync("connect", e => (string?)e["transport"] == "webrtc", ++otherConnects, "the other page's connection")
                .ConfigureAwait(false);
            await page.Page.EvaluateAsync($"pxp.closePeerOf({(int)timed["conn"]!})").ConfigureAwait(false);
            await page.WaitForCountAsync("disconnect", e => (string?)e["transport"] == "webrtc", ++pageDisconnectsBaseline, "the page's webrtc peer to close")
                .ConfigureAwait(false);
            return (double)timed["ms"]!;
        }
        var pageToPage = await SampleAsync("getNewPeer page -> page", PageToPageAsync, warmup, samples).ConfigureAwait(false);
        var sender = (int)(await page.Page.EvaluateAsync("pxp.timedGetNewPeer()", Patience).ConfigureAwait(false))!["conn"]!;
        await other.WaitForCountAsync("connect", e => (string?)e["transport"] == "webrtc", ++otherConnects, "the other page's connection").ConfigureAwait(false);
        var receiver = LastConnection(other);
        var pageToPageRate = await PageToPageRateAsync(page, sender, other, receiver, profile).ConfigureAwait(false);
        await page.DisposeAsync().ConfigureAwait(false);

        var latencyPageToOurs = SampleSummary.Of(pageToOurs);
        var latencyOursToPage = SampleSummary.Of(oursToPage);
        var latencyPageToPage = SampleSummary.Of(pageToPage);
        const string baseline = "Chromium<->Chromium";
        var note = $"{samples} sequential calls after {warmup} untimed; Chromium {ChromiumMode.Plain} candidates, loopback";
        var transferNote = $"one way, 64 KiB writes, until the receiver has it all; a page sends {TimedBytes(profile) >> 20} MiB after 4 MiB " +
            $"(its writes meet no back-pressure), ours writes for {profile.TransferDuration.TotalSeconds:0.##} s after {profile.TransferWarmup.TotalSeconds:0.##} s";
        return
        [
            new BenchResult(Name, "getNewPeer page -> ours, median", "ms", latencyPageToOurs.Median, baseline, latencyPageToPage.Median, "-", null, note + "; timed in the page"),
            new BenchResult(Name, "getNewPeer ours -> page, median", "ms", latencyOursToPage.Median, baseline, latencyPageToPage.Median, "-", null, note),
            new BenchResult(Name, "getNewPeer page -> ours, p99", "ms", latencyPageToOurs.P99, baseline, latencyPageToPage.P99, "-", null, note),
            new BenchResult(Name, "getNewPeer ours -> page, p99", "ms", latencyOursToPage.P99, baseline, latencyPageToPage.P99, "-", null, note),
            new BenchResult(Name, "app stream page -> ours", "MB/s", pageToOursRate / 1e6, baseline, pageToPageRate / 1e6, "-", null, transferNote),
            new BenchResult(Name, "app stream ours -> page", "MB/s", oursToPageRate / 1e6, baseline, pageToPageRate / 1e6, "-", null, transferNote),
        ];
    }

    private static async Task<T> Within<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Patience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}: nothing within {Patience.TotalSeconds} s");
        }
    }

    private static async Task Within(Task task, string what) => await Within(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return 0; }, TaskScheduler.Default), what).ConfigureAwait(false);

    private static async Task<List<double>> SampleAsync(string what, Func<Task<double>> call, int warmup, int samples)
    {
        var taken = new List<double>();
        for (var i = 0; i < warmup + samples; i++)
        {
            try
            {
                var ms = await call().ConfigureAwait(false);
                if (i >= warmup) taken.Add(ms);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{what}, call {i + 1}: {e.Message}", e);
            }
        }
        return taken;
    }

    private static int LastConnection(BrowserNode node) =>
        node.Page.Events.Where(e => (string?)e["event"] == "connect").Select(e => (int)e["conn"]!).Max();

    private static int Events(BrowserNode node, string name, string transport) =>
        node.Page.Events.Count(e => (string?)e["event"] == name && (string?)e["transport"] == transport);

    /// <summary>The page queues a warm-up, then the timed bytes; the rate is those bytes over the time until we have read them all.</summary>
    private static async Task<double> PageSendsAsync(BrowserNode page, int connection, Stream ours, BenchProfile profile)
    {
        var counter = new ByteCounter();
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[BenchProfile.WriteSize];
            int read;
            while ((read = await ours.ReadAsync(buffer, stop.Token).ConfigureAwait(false)) > 0) counter.Add(read);
        });
        var warm = await Pump(page, connection, WarmupBytes).ConfigureAwait(false);
        await Within(counter.WaitForAsync(warm), "the warm-up bytes from the page").ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var written = await Pump(page, connection, TimedBytes(profile)).ConfigureAwait(false);
        await Within(counter.WaitForAsync(warm + written), "the timed bytes from the page").ConfigureAwait(false);
        var rate = written / clock.Elapsed.TotalSeconds;
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await reading.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped reading: the transfer is over.
        }
        return rate;
    }

    /// <summary>We write for the warm-up, then for the timed window; the rate is what we wrote until the page counted it all.</summary>
    private static async Task<double> PageReceivesAsync(BrowserNode page, int connection, Stream ours, BenchProfile profile)
    {
        await page.Page.EvaluateAsync($"pxp.count({connection})").ConfigureAwait(false);
        var chunk = new byte[BenchProfile.WriteSize];
        async Task<long> WriteForAsync(TimeSpan window)
        {
            var clock = Stopwatch.StartNew();
            long written = 0;
            while (clock.Elapsed < window)
            {
                await ours.WriteAsync(chunk).ConfigureAwait(false);
                written += chunk.Length;
            }
            return written;
        }
        var warm = await WriteForAsync(profile.TransferWarmup).ConfigureAwait(false);
        await page.Page.EvaluateAsync($"pxp.countUntil({connection}, {warm})", Patience).ConfigureAwait(false);
        var timer = Stopwatch.StartNew();
        var written = await WriteForAsync(profile.TransferDuration).ConfigureAwait(false);
        await page.Page.EvaluateAsync($"pxp.countUntil({connection}, {warm + written})", Patience).ConfigureAwait(false);
        return written / timer.Elapsed.TotalSeconds;
    }

    private static async Task<double> PageToPageRateAsync(BrowserNode sender, int from, BrowserNode receiver, int to, BenchProfile profile)
    {
        await receiver.Page.EvaluateAsync($"pxp.count({to})").ConfigureAwait(false);
        var warm = await Pump(sender, from, WarmupBytes).ConfigureAwait(false);
        await receiver.Page.EvaluateAsync($"pxp.countUntil({to}, {warm})", Patience).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var written = await Pump(sender, from, TimedBytes(profile)).ConfigureAwait(false);
        await receiver.Page.EvaluateAsync($"pxp.countUntil({to}, {warm + written})", Patience).ConfigureAwait(false);
        return written / clock.Elapsed.TotalSeconds;
    }

    private const long WarmupBytes = 4 << 20;

    /// <summary>A page's writes meet no back-pressure, so it sends a fixed amount: 64 MiB a second of the profile's window, at least 8 MiB.</summary>
    private static long TimedBytes(BenchProfile profile) => Math.Max(8L << 20, (long)(profile.TransferDuration.TotalSeconds * (64 << 20)));

    private static async Task<long> Pump(BrowserNode page, int connection, long bytes) =>
        (long)(await page.Page.EvaluateAsync($"pxp.pump({connection}, {bytes}, {BenchProfile.WriteSize})", Patience).ConfigureAwait(false))!;
}
