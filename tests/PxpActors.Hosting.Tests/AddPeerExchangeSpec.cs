using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PxpActors.Hosting.Tests;

/// <summary>
/// Why the facade needs <c>services.AddPeerExchange()</c> next to <c>WithPeerExchange</c> (the README's "Embed it"): Akka.Hosting
/// runs the <c>AddAkka</c> callback, and so every <c>WithXxx</c>, only once the host has built its service provider, when
/// nothing can be registered any more. If a version of Akka.Hosting ran it earlier, the first test fails: then
/// <c>WithPeerExchange</c> could register the facade itself.
/// </summary>
public sealed class AddPeerExchangeSpec
{
    [Fact]
    public async Task AddAkka_must_run_its_builder_callback_only_after_the_service_provider_is_built()
    {
        var callbackRan = false;
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("callback-" + Guid.NewGuid().ToString("N")[..8], _ => callbackRan = true))
            .Build();
        Assert.False(callbackRan); // the service provider is built and sealed; WithXxx has not run yet

        await host.StartAsync().WaitAsync(HostedNode.Patience);
        Assert.True(callbackRan);
        await host.StopAsync().WaitAsync(HostedNode.Patience);
    }

    [Fact]
    public async Task Without_AddPeerExchange_the_node_must_run_and_only_the_facade_be_missing_from_DI()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("no-facade-" + Guid.NewGuid().ToString("N")[..8],
                akka => akka.WithPeerExchange("hosted-net")))
            .Build();
        await host.StartAsync().WaitAsync(HostedNode.Patience);

        Assert.Null(host.Services.GetService<PeerExchange>());
        var actor = await host.Services.GetRequiredService<IRequiredActor<PeerExchangeActor>>().GetAsync().WaitAsync(HostedNode.Patience);
        var peers = await actor.Ask<Actors.PxpExchange.PeerList>(new Actors.PxpExchange.ListPeers(), HostedNode.Patience);
        Assert.Empty(peers.Peers);
        // The facade is there all the same, for code that has the ActorSystem.
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Equal(actor, PeerExchangeExtension.Get(system).Actor);

        await host.StopAsync().WaitAsync(HostedNode.Patience);
        Assert.True(system.WhenTerminated.IsCompleted);
    }
}
