using Akka.Actor;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Relays;

/// <summary>A relay through the hub is an actor of its own, under the asker's session, named for its candidate (issue 18).</summary>
public sealed class HubRelayActorSpec
{
    [Fact]
    public async Task A_relay_must_be_an_actor_under_the_askers_session_until_it_ends()
    {
        await using var triangle = await RelayTriangle.StartAsync();
        var candidate = await triangle.CandidateAsync();
        var relay = await triangle.A.Exchange.RelayAsync(triangle.ViaHub, candidate);
        var stream = relay.OpenStream();
        var relays = new ActorSelection(triangle.Hub.Exchange.Actor, "peer-*/relay-*");

        var actor = await relays.ResolveOne(TestNode.Timeout);
        Assert.StartsWith($"relay-{candidate.Id}-", actor.Path.Name);
        Assert.Equal(1, (await triangle.Hub.StatsAsync()).Resources.Relays);

        await stream.DisposeAsync(); // the asker ends the relay: both halves end, and the relay actor with them
        await triangle.Hub.WaitForStatsAsync(s => s.Resources.Relays == 0, "the relay's slot returned");
        await Assert.ThrowsAsync<ActorNotFoundException>(() => relays.ResolveOne(TestNode.Timeout));
    }
}
