using System.Diagnostics;
using PxpActors.Actors;
using PxpActors.Simulation.Links;
using Xunit.Abstractions;

namespace PxpActors.Simulation.Tests.Time;

/// <summary>Nodes on virtual time: their clocks and timers move only when the test advances them, an hour in seconds.</summary>
public sealed class VirtualTimeSpec(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Candidates_must_expire_after_their_ttl_of_virtual_time()
    {
        await using var sim = new Simulation(new SimulationOptions { VirtualTime = true });
        var (hub, a, b) = (sim.AddNode("hub"), sim.AddNode("a"), sim.AddNode("b"));
        await sim.ConnectAsync(a, hub);
        await sim.ConnectAsync(b, hub);
        var candidate = Assert.Single(await a.Exchange.GetPeersAsync(a.DirectPeers[0]));
        Assert.Equal(1, (await hub.GetStatsAsync()).Candidates);

        var ttl = hub.Exchange.Settings.CandidateTtl;
        sim.Clock!.Advance(ttl - TimeSpan.FromSeconds(2));
        await WhenStableAsync();
        Assert.Equal(1, (await hub.GetStatsAsync()).Candidates);

        sim.Clock.Advance(TimeSpan.FromSeconds(3));
        await AwaitAsync(async () => (await hub.GetStatsAsync()).Candidates == 0, "the candidate forgotten");
        var refused = await Assert.ThrowsAsync<PxpRequestException>(() => a.Exchange.RelayAsync(a.DirectPeers[0], candidate));
        Assert.Contains("unknown candidate", refused.Message);
    }

    [Fact]
    public async Task A_request_must_time_out_after_the_request_timeout_of_virtual_time()
    {
        await using var sim = new Simulation(new SimulationOptions { VirtualTime = true });
        var (hub, a) = (sim.AddNode("hub"), sim.AddNode("a"));
        var link = await sim.ConnectAsync(a, hub);
        // Bytes now take a virtual day to cross: the request goes out, its reply cannot come back in time.
        link.Conditions = link.Conditions with { Latency = TimeSpan.FromDays(1) };
        var sent = link.BytesFromA;
        var request = a.Exchange.GetPeersAsync(a.DirectPeers[0]);
        await AwaitAsync(() => Task.FromResult(link.BytesFromA > sent), "the getpeers request on the link");

        var timeout = a.Exchange.Settings.RequestTimeout;
        sim.Clock!.Advance(timeout - TimeSpan.FromSeconds(1));
        Assert.NotSame(request, await Task.WhenAny(request, Task.Delay(TimeSpan.FromMilliseconds(300))));

        sim.Clock.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<PxpRequestException>(() => request.WaitAsync(Timeout));
        output.WriteLine(error.Message);
    }

    [Fact]
    public async Task An_hour_of_upkeep_against_a_peer_with_no_candidates_must_back_off_as_configured_in_seconds()
    {
        var asks = 0;
        await using var sim = new Simulation(new SimulationOptions { VirtualTime = true });
        var hub = sim.AddNode("hub", options: new PeerExchangeOptions
        {
            CandidateSource = _ =>
            {
                Interlocked.Increment(ref asks);
                return [];
            },
        });
        var a = sim.AddNode("a", targetPeers: 2);
        await sim.ConnectAsync(a, hub);
        var upkeep = a.Exchange.Settings.Upkeep;

        var clock = Stopwatch.StartNew();
        await sim.Clock!.AdvanceAsync(TimeSpan.FromHours(1), step: TimeSpan.FromSeconds(2));
        output.WriteLine($"an hour of virtual time in {clock.Elapsed.TotalSeconds:0.0} s: {asks} getpeers");

        // Each getNewPeer asks up to 5 times (a refusal is retried through a random peer); between calls upkeep waits
        // min-backoff doubling up to max-backoff, lengthened by up to random-factor. A call lasts some 5 steps of 2 s here (each
        // pause between its attempts waits for the next step), more on a loaded machine where a reply can miss a step: the
        // fewest calls allow 30 s per call. Without the cap (max-backoff) an hour holds ~12 calls; without backoff, thousands.
        const int attemptsPerCall = 5;
        var hour = TimeSpan.FromHours(1).TotalSeconds;
        var (fewest, most) = (CallsWithin(hour, upkeep, 1 + upkeep.RandomFactor, callSeconds: 30), CallsWithin(hour, upkeep, 1, callSeconds: 0));
        output.WriteLine($"expected {fewest}..{most} calls");
        Assert.InRange(asks, (fewest - 1) * attemptsPerCall, (most + 1) * attemptsPerCall);
        Assert.Single(a.DirectPeers);
    }

    /// <summary>How many calls fit in <paramref name="seconds"/> when each wait is the backoff stretched by <paramref name="stretch"/>.</summary>
    private static int CallsWithin(double seconds, UpkeepSettings upkeep, double stretch, double callSeconds)
    {
        var (calls, at) = (0, 0.0);
        while (at <= seconds)
        {
            calls++;
            at += callSeconds + upkeep.Backoff(calls, 0).TotalSeconds * stretch;
        }
        return calls;
    }

    /// <summary>Gives the nodes a moment of real time to act on what the clock made due (a negative check's window).</summary>
    private static Task WhenStableAsync() => Task.Delay(TimeSpan.FromMilliseconds(300));

    private static async Task AwaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
