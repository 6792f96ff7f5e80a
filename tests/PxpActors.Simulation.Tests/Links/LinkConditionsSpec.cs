using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Simulation.Links;
using PxpActors.Simulation.Observation;

namespace PxpActors.Simulation.Tests.Links;

/// <summary>The link stage on virtual time (latency, jitter, bandwidth), and links between nodes being cut.</summary>
public sealed class LinkConditionsSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_chunk_must_arrive_after_the_latency_and_not_before()
    {
        await using var sim = new Simulation(new SimulationOptions { VirtualTime = true });
        var clock = sim.Clock!;
        var latency = TimeSpan.FromSeconds(5);
        // Stamped on the virtual clock as it enters the link and as it leaves it.
        var arrived = Source.Single(ByteString.FromString("hello"))
            .Select(chunk => (Chunk: chunk, Sent: clock.GetUtcNow()))
            .SelectAsync(1, async stamped =>
            {
                var left = await Source.Single(stamped.Chunk)
                    .Via(LinkConditionsFlow.Create(new LinkConditions(latency, TimeSpan.Zero, 0), clock))
                    .RunWith(Sink.First<ByteString>(), sim.Systems[0].Materializer());
                return (Chunk: left, stamped.Sent, Arrived: clock.GetUtcNow());
            })
            .RunWith(Sink.First<(ByteString Chunk, DateTimeOffset Sent, DateTimeOffset Arrived)>(), sim.Systems[0].Materializer());

        for (var step = 0; step < 100 && !arrived.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(arrived, Task.Delay(10));
        }
        var (chunk, sent, at) = await arrived.WaitAsync(Timeout);
        Assert.Equal("hello", chunk.ToString());
        // Never early; late only by the steps the clock moved before the stage took the chunk (more on a loaded machine).
        Assert.InRange(at - sent, latency, latency + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Bandwidth_must_spread_chunks_over_their_transmission_time_and_jitter_must_keep_their_order()
    {
        await using var sim = new Simulation(new SimulationOptions { VirtualTime = true });
        // 20 chunks of 1,000 bytes at 1,000 bytes/s, each jittered by up to 3 s: 20 s of virtual time, in order.
        var conditions = new LinkConditions(TimeSpan.Zero, TimeSpan.FromSeconds(3), 1_000);
        var arrived = Source.From(Enumerable.Range(0, 20))
            .Select(i => ByteString.FromBytes(Enumerable.Repeat((byte)i, 1_000).ToArray()))
            .Via(LinkConditionsFlow.Create(conditions, sim.Clock))
            .RunWith(Sink.Seq<ByteString>(), sim.Systems[0].Materializer());

        for (var second = 0; second < 19; second++)
        {
            sim.Clock!.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        Assert.NotSame(arrived, await Task.WhenAny(arrived, Task.Delay(300)));
        for (var second = 0; second < 30 && !arrived.IsCompleted; second++)
        {
            sim.Clock!.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(arrived, Task.Delay(20));
        }
        var chunks = await arrived.WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i), chunks.Select(c => c[0]));
    }

    [Fact]
    public async Task Cutting_a_link_must_end_both_sessions_with_the_cut_and_close_the_link()
    {
        // No rejoin: the isolated nodes would dial each other again.
        await using var sim = new Simulation(new SimulationOptions { RejoinWhenIsolated = false });
        var (a, b) = (sim.AddNode("a"), sim.AddNode("b"));
        var link = await sim.ConnectAsync(a, b);
        Assert.Single(a.DirectPeers);

        link.Cut();
        await link.Completion.WaitAsync(Timeout);
        var graph = await sim.AwaitGraphAsync(g => g.Edges.Count == 0, Timeout, "no edge");
        Assert.Equal(0, graph.Degree("a"));
        // Both sessions ended in failure, not in an orderly close.
        await AwaitAsync(() => b.Events.Any(e => e.Kind == NodeEventKind.PeerRemoved));
        Assert.Contains(a.Events, e => e.Kind == NodeEventKind.PeerRemoved && e.Error is not null);
        Assert.Contains(b.Events, e => e.Kind == NodeEventKind.PeerRemoved && e.Error is not null);
        Assert.Empty(sim.Links);
    }

    [Fact]
    public async Task A_partition_must_cut_links_between_groups_refuse_new_ones_until_healed()
    {
        await using var sim = new Simulation(new SimulationOptions { RejoinWhenIsolated = false });
        var (a, b, c) = (sim.AddNode("a"), sim.AddNode("b"), sim.AddNode("c"));
        await sim.ConnectAsync(a, b);
        await sim.ConnectAsync(b, c);

        sim.Partition([a, b], [c]);
        var split = await sim.AwaitGraphAsync(g => g.Edges.Count == 1, Timeout, "only a-b left");
        Assert.Equal(2, split.Components.Count);
        await Assert.ThrowsAsync<LinkCutException>(() => sim.ConnectAsync(a, c));

        sim.Heal();
        await sim.ConnectAsync(a, c);
        Assert.True((await sim.AwaitGraphAsync(g => g.IsConnected, Timeout, "connected")).IsConnected);
    }

    private static async Task AwaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
