using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Simulation.Remote;
using PxpActors.Simulation.Tests.Remote.Support;

namespace PxpActors.Simulation.Tests.Remote;

/// <summary>Cross-system links on their own (no PXP): bytes, conditions, and every way a link side is closed.</summary>
public sealed class LinkEndpointSpec
{
    [Fact]
    public async Task A_link_must_carry_bytes_both_ways_in_order_and_close_both_sides_when_done()
    {
        await using var systems = await TwoSystems.StartAsync();
        var (flowA, incoming) = await systems.LinkAsync();
        var payload = Enumerable.Range(0, 40).Select(i => ByteString.FromBytes(new byte[10_000 + i])).ToList();

        // B echoes; A sends 40 chunks (several stream-ref elements each) and completes.
        incoming.Flow.Join(Flow.Create<ByteString>()).Run(systems.B.Materializer());
        var echoed = await Source.From(payload).Via(flowA).RunWith(Sink.Seq<ByteString>(), systems.A.Materializer())
            .WaitAsync(Await.Timeout);

        Assert.Equal(payload.Sum(p => p.Count), echoed.Sum(e => e.Count));
        Assert.Equal(payload.Aggregate(ByteString.Empty, (a, b) => a.Concat(b)), echoed.Aggregate(ByteString.Empty, (a, b) => a.Concat(b)));
        await systems.NoLinksLeftAsync();
    }

    [Fact]
    public async Task The_conditions_given_when_dialing_must_apply_to_each_direction()
    {
        await using var systems = await TwoSystems.StartAsync();
        // Outbound doubles each byte's value, inbound adds one: what B echoes back to A is 2x + 1.
        var outbound = Flow.Create<ByteString>().Select(b => ByteString.FromBytes(b.ToArray().Select(x => (byte)(x * 2)).ToArray()));
        var inbound = Flow.Create<ByteString>().Select(b => ByteString.FromBytes(b.ToArray().Select(x => (byte)(x + 1)).ToArray()));
        var (flowA, incoming) = await systems.LinkAsync(outbound: outbound, inbound: inbound);
        var atB = incoming.Flow.JoinMaterialized(Flow.Create<ByteString>().AlsoToMaterialized(Sink.Seq<ByteString>(), Keep.Right), Keep.Right)
            .Run(systems.B.Materializer());

        var back = await Source.Single(ByteString.FromBytes([1, 2, 3])).Via(flowA).RunWith(Sink.Seq<ByteString>(), systems.A.Materializer())
            .WaitAsync(Await.Timeout);

        Assert.Equal(new byte[] { 2, 4, 6 }, (await atB.WaitAsync(Await.Timeout)).SelectMany(b => b.ToArray()));
        Assert.Equal(new byte[] { 3, 5, 7 }, back.SelectMany(b => b.ToArray()));
    }

    [Fact]
    public async Task Dialing_an_endpoint_without_an_acceptor_must_fail_with_the_reason_and_leave_no_side()
    {
        await using var systems = await TwoSystems.StartAsync();
        await systems.LinksToB.DisposeAsync(); // B's endpoint loses its acceptor
        await Await.UntilAsync(async () =>
        {
            try
            {
                await CrossSystemLink.DialAsync(systems.EndpointA, systems.EndpointBFromA, "x");
                return false;
            }
            catch (CrossSystemLinkException e)
            {
                Assert.Contains("has no acceptor", e.Message);
                return true;
            }
        }, "B to refuse once its acceptor is gone");

        await systems.NoLinksLeftAsync();
    }

    [Fact]
    public async Task Dialing_a_system_that_is_gone_must_fail_within_the_offer_timeout_and_leave_no_side()
    {
        var settings = CrossSystemLinkSettings.Default with { OfferTimeout = TimeSpan.FromSeconds(1) };
        await using var systems = await TwoSystems.StartAsync(settings);
        await systems.B.Terminate();

        var error = await Assert.ThrowsAsync<CrossSystemLinkException>(() =>
            CrossSystemLink.DialAsync(systems.EndpointA, systems.EndpointBFromA, "x"));

        Assert.Contains("did not accept the link", error.Message);
        await systems.NoLinksLeftAsync();
    }

    [Fact]
    public async Task A_side_never_run_must_close_and_fail_the_other_sides_flow()
    {
        var settings = CrossSystemLinkSettings.Default with { MaterializeTimeout = TimeSpan.FromSeconds(1) };
        await using var systems = await TwoSystems.StartAsync(settings);
        var (flowA, _) = await systems.LinkAsync(); // B never runs its side

        var run = Source.Maybe<ByteString>().Via(flowA).RunWith(Sink.Ignore<ByteString>(), systems.A.Materializer());

        var error = await Assert.ThrowsAsync<CrossSystemLinkException>(() => run.WaitAsync(Await.Timeout));
        Assert.Contains("is gone", error.Message);
        await systems.NoLinksLeftAsync();
    }

    [Fact]
    public async Task A_flow_run_after_its_side_closed_must_fail_at_once()
    {
        // A long offer timeout makes the flow's wait for the other side longer than the test's patience.
        var settings = CrossSystemLinkSettings.Default with { MaterializeTimeout = TimeSpan.FromSeconds(1), OfferTimeout = TimeSpan.FromSeconds(60) };
        await using var systems = await TwoSystems.StartAsync(settings);
        var (flowA, _) = await systems.LinkAsync();
        await systems.NoLinksLeftAsync(); // neither side ran in time

        var run = Source.Maybe<ByteString>().Via(flowA).RunWith(Sink.Ignore<ByteString>(), systems.A.Materializer());

        var error = await Assert.ThrowsAsync<CrossSystemLinkException>(() => run.WaitAsync(Await.Timeout));
        Assert.Contains("closed before its flow ran", error.Message);
    }

    [Fact]
    public async Task Ending_one_side_must_complete_the_other_and_close_both_sides()
    {
        await using var systems = await TwoSystems.StartAsync();
        var (flowA, incoming) = await systems.LinkAsync();
        var atB = Source.Maybe<ByteString>().Via(incoming.Flow).RunWith(Sink.Ignore<ByteString>(), systems.B.Materializer());
        var ((sending, killSwitch), atA) = Source.Maybe<ByteString>().ViaMaterialized(flowA, Keep.Left)
            .ViaMaterialized(KillSwitches.Single<ByteString>(), Keep.Both)
            .ToMaterialized(Sink.Ignore<ByteString>(), Keep.Both).Run(systems.A.Materializer());

        // A stops sending and reading, as a session that ends does.
        sending.TrySetResult(null);
        killSwitch.Shutdown();

        await atA.WaitAsync(Await.Timeout);
        await atB.WaitAsync(Await.Timeout); // completed, not failed
        await systems.NoLinksLeftAsync();
    }

    [Fact]
    public async Task A_failure_on_one_side_must_fail_the_other()
    {
        await using var systems = await TwoSystems.StartAsync();
        var (flowA, incoming) = await systems.LinkAsync();
        var atB = Source.Maybe<ByteString>().Via(incoming.Flow).RunWith(Sink.Ignore<ByteString>(), systems.B.Materializer());

        var atA = Source.Failed<ByteString>(new InvalidOperationException("A broke")).Via(flowA).RunWith(Sink.Ignore<ByteString>(),
            systems.A.Materializer());

        await Assert.ThrowsAnyAsync<Exception>(() => atA.WaitAsync(Await.Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => atB.WaitAsync(Await.Timeout));
        await systems.NoLinksLeftAsync();
    }
}
