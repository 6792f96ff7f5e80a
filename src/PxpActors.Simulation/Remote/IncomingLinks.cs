using System.Threading.Channels;
using Akka.Actor;

namespace PxpActors.Simulation.Remote;

/// <summary>
/// The links other systems dial to an endpoint, as an async queue: subscribes to the endpoint as its acceptor, and
/// unsubscribes (stops its actor) when disposed.
/// </summary>
public sealed class IncomingLinks : IAsyncDisposable
{
    private readonly Channel<LinkEndpoint.IncomingLink> _links = Channel.CreateUnbounded<LinkEndpoint.IncomingLink>();
    private readonly IActorRef _acceptor;

    private IncomingLinks(ActorSystem system)
    {
        _acceptor = system.ActorOf(Props.Create(() => new Acceptor(_links.Writer)));
    }

    /// <summary>Becomes the acceptor of <paramref name="endpoint"/>, an endpoint in <paramref name="system"/>.</summary>
    public static async Task<IncomingLinks> SubscribeAsync(ActorSystem system, IActorRef endpoint, TimeSpan? timeout = null)
    {
        var links = new IncomingLinks(system);
        await endpoint.Ask<LinkEndpoint.Subscribed>(new LinkEndpoint.Subscribe(links._acceptor), timeout ?? TimeSpan.FromSeconds(10))
            .ConfigureAwait(false);
        return links;
    }

    /// <summary>The next link dialed to the endpoint.</summary>
    public ValueTask<LinkEndpoint.IncomingLink> NextAsync(CancellationToken cancellationToken = default) =>
        _links.Reader.ReadAsync(cancellationToken);

    /// <summary>Stops the acceptor: the endpoint refuses further offers until another subscribes.</summary>
    public async ValueTask DisposeAsync()
    {
        _links.Writer.TryComplete();
        await _acceptor.GracefulStop(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private sealed class Acceptor : ReceiveActor
    {
        public Acceptor(ChannelWriter<LinkEndpoint.IncomingLink> links) =>
            Receive<LinkEndpoint.IncomingLink>(link => links.TryWrite(link));
    }
}
