using System.Diagnostics;
using System.Text.Json.Nodes;
using PxpActors.Bench.Processes;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Roles;
using PxpActors.Bench.Topologies;

namespace PxpActors.Bench.Scenarios;

/// <summary>
/// Memory per idle connected peer on a node holding many peers. The hub is a process of its own with
/// nothing else in it; its peers are bare sockets in this process that send a reference peer's opening
/// bytes over loopback TCP, so the hub's figures hold only what it keeps per peer. Readings after full
/// collections, before and after adding the peers; the difference divided by their number. The same
/// swarm then measures the JS reference's hub, when the profile asks for it.
/// </summary>
public static class MemoryBenchmark
{
    public const string Name = "memory";
    private const double ReferenceRssKiB = 105.6;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchProfile profile)
    {
        var ours = await MeasureAsync("our memory hub", ChildProcess.Self("--role", MemoryHubRole.Name, "streams"),
            profile.MemoryWarmupPeers, profile.MemoryPeers).ConfigureAwait(false);

        PerPeer? js = null;
        var jsSkipped = profile.JsMemoryPeers == 0 ? "skipped in this profile" : await JsScripts.UnavailableReasonAsync().ConfigureAwait(false);
        if (jsSkipped is null)
        {
            js = await MeasureAsync("JS memory hub", JsScripts.Start("memory-hub.js", [], exposeGc: true),
                profile.MemoryWarmupPeers, profile.JsMemoryPeers).ConfigureAwait(false);
        }

        var context = $"hub process alone, {ours.Peers:N0} idle TCP peers (+{profile.MemoryWarmupPeers} before the first reading), " +
            $"app connection held open as a Stream; {ours.ConnectSeconds:0.0} s to take them in";
        var heapBaseline = js is null ? "JS ref heap (not measured)" : $"JS ref heapUsed, {js.Peers:N0} peers";
        var rssBaseline = js is null ? "JS ref RSS (issue 2, not measured here)" : $"JS ref RSS, {js.Peers:N0} peers";
        var jsNote = js is null
            ? $"JS reference not measured ({jsSkipped}); the issue's 105.6 KiB RSS is quoted"
            : $"JS hub took {js.Peers:N0} peers in {js.ConnectSeconds:0.0} s";
        return
        [
            new BenchResult(Name, "GC heap per idle peer", "KiB", ours.HeapKiB, heapBaseline, js?.HeapKiB,
                "<= 16 KiB", ours.HeapKiB <= 16, context),
            new BenchResult(Name, "working set per idle peer", "KiB", ours.WorkingSetKiB, rssBaseline, js?.WorkingSetKiB ?? ReferenceRssKiB,
                "<= 16 KiB", ours.WorkingSetKiB <= 16, jsNote),
        ];
    }

    private sealed record PerPeer(int Peers, double HeapKiB, double WorkingSetKiB, double ConnectSeconds);

    private static async Task<PerPeer> MeasureAsync(string label, ProcessStartInfo hubStart, int warmupPeers, int peers)
    {
        // Generous: the machine is shared and a session costs the hub milliseconds of CPU.
        var arrivalTimeout = TimeSpan.FromSeconds(60 + peers / 25.0);
        await using var hub = ChildProcess.Start(label, hubStart);
        var listening = await hub.ReadReplyAsync(ReplyTimeout).ConfigureAwait(false);
        await using var swarm = new BarePeerSwarm(new Uri(listening["listening"]!.GetValue<string>()), "bench");
        using var cancel = new CancellationTokenSource(arrivalTimeout);

        await swarm.AddAsync(warmupPeers, cancel.Token).ConfigureAwait(false);
        var before = await hub.RequestAsync($"measure {warmupPeers}", arrivalTimeout).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        await swarm.AddAsync(peers, cancel.Token).ConfigureAwait(false);
        var after = await hub.RequestAsync($"measure {warmupPeers + peers}", arrivalTimeout).ConfigureAwait(false);
        var connectSeconds = clock.Elapsed.TotalSeconds;
        return new PerPeer(peers,
            KiBPerPeer(before, after, "gcHeapBytes", peers),
            KiBPerPeer(before, after, "workingSetBytes", peers),
            connectSeconds);
    }

    private static double KiBPerPeer(JsonObject before, JsonObject after, string field, int peers) =>
        (after[field]!.GetValue<long>() - before[field]!.GetValue<long>()) / 1024.0 / peers;
}
