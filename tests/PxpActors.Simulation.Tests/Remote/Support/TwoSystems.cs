using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Simulation.Remote;

namespace PxpActors.Simulation.Tests.Remote.Support;

/// <summary>Two ActorSystems in this process joined by Akka.Remote on loopback, a link endpoint in each; B accepts links.</summary>
public sealed class TwoSystems : IAsyncDisposable
{
    private TwoSystems(ActorSystem a, ActorSystem b, IActorRef endpointA, IActorRef endpointB, IActorRef endpointBFromA, IncomingLinks linksToB)
    {
        A = a;
        B = b;
        EndpointA = endpointA;
        EndpointB = endpointB;
        EndpointBFromA = endpointBFromA;
        LinksToB = linksToB;
    }

    public ActorSystem A { get; }
    public ActorSystem B { get; }
    public IActorRef EndpointA { get; }
    public IActorRef EndpointB { get; }

    /// <summary>B's endpoint as a remote reference in A.</summary>
    public IActorRef EndpointBFromA { get; }

    public IncomingLinks LinksToB { get; }

    public static async Task<TwoSystems> StartAsync(CrossSystemLinkSettings? settings = null, string name = "sim")
    {
        var a = RemoteSimulationConfig.CreateSystem($"{name}-a");
        var b = RemoteSimulationConfig.CreateSystem($"{name}-b");
        var endpointA = LinkEndpoint.Start(a, settings);
        var endpointB = LinkEndpoint.Start(b, settings);
        var bFromA = await LinkEndpoint.ResolveAsync(a, RemoteSimulationConfig.AddressOf(b));
        var links = await IncomingLinks.SubscribeAsync(b, endpointB);
        return new TwoSystems(a, b, endpointA, endpointB, bFromA, links);
    }

    /// <summary>Dials a link from A to B: A's flow and B's incoming link.</summary>
    public async Task<(Flow<ByteString, ByteString, NotUsed> A, LinkEndpoint.IncomingLink B)> LinkAsync(string tag = "link",
        Flow<ByteString, ByteString, NotUsed>? outbound = null, Flow<ByteString, ByteString, NotUsed>? inbound = null)
    {
        var flowA = await CrossSystemLink.DialAsync(EndpointA, EndpointBFromA, tag, outbound, inbound);
        var incoming = await LinksToB.NextAsync(new CancellationTokenSource(Await.Timeout).Token);
        return (flowA, incoming);
    }

    public static async Task<int> LinkCountAsync(IActorRef endpoint) =>
        (await endpoint.Ask<LinkEndpoint.LinkCount>(LinkEndpoint.GetLinkCount.Instance, Await.Timeout)).Open;

    /// <summary>Waits until neither endpoint holds a link side.</summary>
    public Task NoLinksLeftAsync(TimeSpan? timeout = null) =>
        Await.UntilAsync(async () => await LinkCountAsync(EndpointA) == 0 && (B.WhenTerminated.IsCompleted || await LinkCountAsync(EndpointB) == 0),
            "no link sides left in either endpoint", timeout);

    public async ValueTask DisposeAsync()
    {
        if (!B.WhenTerminated.IsCompleted) await LinksToB.DisposeAsync();
        await Task.WhenAll(A.Terminate(), B.Terminate());
    }
}
